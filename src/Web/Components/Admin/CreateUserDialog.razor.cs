using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Web.Features.Admin.Roles;
using NovaCron.Web.Features.Admin.Users;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Admin;

/// <summary>Creates a user; Identity's password rules answer in the dialog, which stays open.</summary>
public sealed partial class CreateUserDialog
{
    private MudForm? _form;
    private string _userName = string.Empty;
    private string _displayName = string.Empty;
    private string _password = string.Empty;
    private Guid? _roleId;
    private string? _serverError;
    private bool _submitting;

    [CascadingParameter]
    public IMudDialogInstance? Dialog { get; set; }

    [Parameter]
    public IReadOnlyList<RoleView> Roles { get; set; } = [];

    [Inject]
    public required CircuitActor CircuitActor { get; init; }

    [Inject]
    public required CreateUserHandler Handler { get; init; }

    private string RoleName(Guid? id) => id is null ? "(none: project memberships only)" : Roles.FirstOrDefault(r => r.Id == id)?.Name ?? string.Empty;

    private void Cancel() => Dialog?.Cancel();

    private async Task SubmitAsync()
    {
        _serverError = null;
        if (_form is not null)
        {
            await _form.ValidateAsync();
            if (!_form.IsValid)
            {
                return;
            }
        }

        _submitting = true;
        try
        {
            var result = await Handler.HandleAsync(new CreateUserRequest(_userName, _displayName, _password, _roleId), await CircuitActor.GetAsync(), CancellationToken.None);
            if (result.IsSuccess)
            {
                Dialog?.Close(DialogResult.Ok(result.Value!));
            }
            else
            {
                _serverError = result.Error!.Message;
            }
        }
        finally
        {
            _submitting = false;
        }
    }
}
