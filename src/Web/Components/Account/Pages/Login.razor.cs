using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using NovaCron.Infrastructure.Identity;

namespace NovaCron.Web.Components.Account.Pages;

/// <summary>Password sign-in; locks the account for 15 minutes after 5 wrong passwords and hands over to
/// <see cref="LoginWith2fa"/> when the user has two-factor authentication.</summary>
public sealed partial class Login
{
    private string? _message;

    [Inject]
    public required SignInManager<NovaCronUser> SignInManager { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required Features.Audit.AuditLog Audit { get; init; }

    [Inject]
    public required Microsoft.EntityFrameworkCore.IDbContextFactory<Infrastructure.Persistence.NovaCronDbContext> DbFactory { get; init; }

    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    [SupplyParameterFromQuery(Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    [SupplyParameterFromForm(FormName = "login")]
    public LoginInput Input { get; set; } = default!;

    protected override void OnInitialized()
    {
        Input ??= new();
    }

    private async Task SignInAsync()
    {
        var result = await SignInManager.PasswordSignInAsync(Input.UserName, Input.Password, Input.RememberMe, lockoutOnFailure: true);
        await RecordAsync(result);
        if (result.Succeeded)
        {
            Navigation.NavigateTo(AccountUrls.SafeReturnUrl(ReturnUrl));
            return;
        }

        if (result.RequiresTwoFactor)
        {
            Navigation.NavigateTo(AccountUrls.WithReturnUrl("/account/login-2fa", ReturnUrl) + $"&rememberMe={Input.RememberMe}");
            return;
        }

        // A refused password is never sent back to the browser inside the form.
        Input.Password = string.Empty;
        _message = result.IsLockedOut
            ? "This account is locked after too many wrong passwords. Try again in 15 minutes."
            : result.IsNotAllowed
                ? "This account is disabled. Ask an administrator."
                : "The user name or the password is wrong.";
    }

    /// <summary>Sign-ins are audited: success, a second factor still to come, a wrong password, a locked or disabled account.</summary>
    private async Task RecordAsync(Microsoft.AspNetCore.Identity.SignInResult result)
    {
        var source = $"ui {HttpContext?.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";
        var actor = new Features.Actor(Input.UserName, source, Domain.Identity.UserAccess.None);
        var outcome = result.Succeeded ? "signed in" : result.RequiresTwoFactor ? "password accepted; second factor required"
            : result.IsLockedOut ? "locked out" : result.IsNotAllowed ? "account disabled" : "wrong user name or password";
        if (result.Succeeded || result.RequiresTwoFactor)
        {
            await using var db = await DbFactory.CreateDbContextAsync();
            await Audit.RecordAsync(db, actor, "account.sign-in", "user", null, Input.UserName, null, Domain.Audit.AuditResult.Succeeded, outcome, CancellationToken.None);
            await db.SaveChangesAsync();
        }
        else
        {
            await Audit.RecordRefusalAsync(actor, "account.sign-in", "user", null, Input.UserName, null, Domain.Common.Error.Validation("sign-in", outcome), CancellationToken.None);
        }
    }

    public sealed class LoginInput
    {
        [Required(ErrorMessage = "Enter your user name.")]
        public string UserName { get; set; } = string.Empty;

        [Required(ErrorMessage = "Enter your password.")]
        public string Password { get; set; } = string.Empty;

        public bool RememberMe { get; set; }
    }
}
