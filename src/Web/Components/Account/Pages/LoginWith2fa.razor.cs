using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using NovaCron.Infrastructure.Identity;

namespace NovaCron.Web.Components.Account.Pages;

/// <summary>Second step of signing in: the TOTP code of the user the password step remembered.</summary>
public sealed partial class LoginWith2fa
{
    private string? _message;

    [Inject]
    public required SignInManager<NovaCronUser> SignInManager { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [SupplyParameterFromQuery(Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    [SupplyParameterFromQuery(Name = "rememberMe")]
    public bool RememberMe { get; set; }

    [SupplyParameterFromForm(FormName = "login-2fa")]
    public TwoFactorInput Input { get; set; } = default!;

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
        var code = Input.Code.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        var result = await SignInManager.TwoFactorAuthenticatorSignInAsync(code, RememberMe, Input.RememberMachine);
        if (result.Succeeded)
        {
            Navigation.NavigateTo(AccountUrls.SafeReturnUrl(ReturnUrl));
            return;
        }

        _message = result.IsLockedOut
            ? "This account is locked after too many wrong codes. Try again in 15 minutes."
            : "That code is not valid or was already used. Check that your device's clock is right and enter the current code.";
    }

    public sealed class TwoFactorInput
    {
        [Required(ErrorMessage = "Enter the code.")]
        [StringLength(7, MinimumLength = 6, ErrorMessage = "The code has 6 digits.")]
        public string Code { get; set; } = string.Empty;

        public bool RememberMachine { get; set; }
    }
}
