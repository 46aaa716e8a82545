using Microsoft.AspNetCore.Components;
using MudBlazor;
using NovaCron.Web.Features.Admin.Users;
using NovaCron.Web.Security;

namespace NovaCron.Web.Components.Admin;

/// <summary>An administrator sets a user's password; the password rules' messages are shown in the dialog.</summary>
public sealed partial class ResetPasswordDialog
{
    private string _password = string.Empty;

    [Parameter]
    [EditorRequired]
    public UserView User { get; set; } = null!;

    [Inject]
    public required CircuitActor CircuitActor { get; init; }

    [Inject]
    public required ResetPasswordHandler Handler { get; init; }

    private Task SubmitAsync() => SubmitFormAsync(async () =>
    {
        return await Handler.HandleAsync(User.Id, new ResetPasswordRequest(_password), await CircuitActor.GetAsync(), CancellationToken.None);
    });
}
