using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Web.Features.Admin.Users;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Admin;

/// <summary>An administrator sets a user's password; the password rules' messages are shown in the dialog.</summary>
public sealed partial class ResetPasswordDialog
{
    private string _password = string.Empty;
    private string? _serverError;
    private bool _submitting;

    [CascadingParameter]
    public IMudDialogInstance? Dialog { get; set; }

    [Parameter]
    [EditorRequired]
    public UserView User { get; set; } = null!;

    [Inject]
    public required CircuitActor CircuitActor { get; init; }

    [Inject]
    public required ResetPasswordHandler Handler { get; init; }

    private void Cancel() => Dialog?.Cancel();

    private async Task SubmitAsync()
    {
        _submitting = true;
        try
        {
            var result = await Handler.HandleAsync(User.Id, new ResetPasswordRequest(_password), await CircuitActor.GetAsync(), CancellationToken.None);
            _serverError = result.Error?.Message;
            if (result.IsSuccess)
            {
                Dialog?.Close(DialogResult.Ok(result.Value!));
            }
        }
        finally
        {
            _submitting = false;
        }
    }
}
