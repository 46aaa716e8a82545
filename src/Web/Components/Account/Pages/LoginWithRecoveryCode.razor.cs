using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using NovaCron.Infrastructure.Identity;

namespace NovaCron.Web.Components.Account.Pages;

/// <summary>Second step of signing in with one of the user's single-use recovery codes instead of a TOTP code.</summary>
public sealed partial class LoginWithRecoveryCode
{
    private string? _message;

    [Inject]
    public required SignInManager<NovaCronUser> SignInManager { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [SupplyParameterFromQuery(Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    [SupplyParameterFromForm(FormName = "login-recovery")]
    public RecoveryInput Input { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        Input ??= new();
        if (await SignInManager.GetTwoFactorAuthenticationUserAsync() is null)
        {
            Navigation.NavigateTo(AccountUrls.WithReturnUrl("/account/login", ReturnUrl));
        }
    }

    private async Task VerifyAsync()
    {
        var result = await SignInManager.TwoFactorRecoveryCodeSignInAsync(Input.Code.Replace(" ", string.Empty, StringComparison.Ordinal));
        if (result.Succeeded)
        {
            Navigation.NavigateTo(AccountUrls.SafeReturnUrl(ReturnUrl));
            return;
        }

        _message = result.IsLockedOut ? "This account is locked after too many wrong codes. Try again in 15 minutes." : "That recovery code is not valid or was already used.";
    }

    public sealed class RecoveryInput
    {
        [Required(ErrorMessage = "Enter a recovery code.")]
        public string Code { get; set; } = string.Empty;
    }
}
