using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Domain.Common;
using NovaCron.Web.Features.Admin.Roles;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Admin;

/// <summary>Creates a custom role or changes its permissions, choosing from the catalogue grouped by scope.</summary>
public sealed partial class RoleDialog
{
    private readonly HashSet<string> _chosen = new(StringComparer.Ordinal);
    private MudForm? _form;
    private string _name = string.Empty;
    private string _description = string.Empty;
    private string? _serverError;
    private bool _submitting;

    [CascadingParameter]
    public IMudDialogInstance? Dialog { get; set; }

    /// <summary>The custom role to edit; null creates one.</summary>
    [Parameter]
    public RoleView? Role { get; set; }

    [Inject]
    public required CircuitActor CircuitActor { get; init; }

    [Inject]
    public required CreateRoleHandler Create { get; init; }

    [Inject]
    public required SetRolePermissionsHandler SetPermissions { get; init; }

    protected override void OnInitialized()
    {
        if (Role is { } role)
        {
            _chosen.UnionWith(role.Permissions);
        }
    }

    private static string? ValidateName(string? name) => ResourceName.Validate(name, "role").Error?.Message;

    private void Toggle(string permission, bool on)
    {
        if (on)
        {
            _chosen.Add(permission);
        }
        else
        {
            _chosen.Remove(permission);
        }
    }

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
            var actor = await CircuitActor.GetAsync();
            var result = Role is { } role
                ? await SetPermissions.HandleAsync(role.Id, new SetRolePermissionsRequest([.. _chosen]), actor, CancellationToken.None)
                : await Create.HandleAsync(new CreateRoleRequest(_name, _description, [.. _chosen]), actor, CancellationToken.None);
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
