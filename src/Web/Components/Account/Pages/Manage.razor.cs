using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using NovaCron.Infrastructure.Identity;
using QRCoder;

namespace NovaCron.Web.Components.Account.Pages;

/// <summary>The signed-in user's own account: password, and TOTP two-factor authentication with recovery codes.</summary>
public sealed partial class Manage
{
    private const string Issuer = "NovaCron";
    private const int RecoveryCodeCount = 10;

    private NovaCronUser _user = null!;
    private string _userName = string.Empty;
    private bool _twoFactorEnabled;
    private int _recoveryCodesLeft;
    private string? _formattedKey;
    private string? _authenticatorUri;
    private string? _qrCodeDataUri;
    private IReadOnlyList<string>? _recoveryCodes;
    private string? _message;
    private bool _failed;

    [Inject]
    public required UserManager<NovaCronUser> UserManager { get; init; }

    [Inject]
    public required SignInManager<NovaCronUser> SignInManager { get; init; }

    [Inject]
    public required IUserStore<NovaCronUser> UserStore { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    [Inject]
    public required Features.Audit.AuditLog Audit { get; init; }

    [Inject]
    public required Microsoft.EntityFrameworkCore.IDbContextFactory<Infrastructure.Persistence.NovaCronDbContext> DbFactory { get; init; }

    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "change-password")]
    public PasswordInput Password { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "enable-2fa")]
    public VerifyInput Verify { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "disable-2fa")]
    public DisableInput Disable { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        Password ??= new();
        Verify ??= new();
        Disable ??= new();
        if (await UserManager.GetUserAsync(HttpContext.User) is not { } user)
        {
            Navigation.NavigateTo("/account/login");
            return;
        }

        _user = user;
        _userName = user.UserName ?? string.Empty;
        await LoadTwoFactorAsync();
    }

    private async Task LoadTwoFactorAsync()
    {
        _twoFactorEnabled = await UserManager.GetTwoFactorEnabledAsync(_user);
        _recoveryCodesLeft = await UserManager.CountRecoveryCodesAsync(_user);
        if (_twoFactorEnabled)
        {
            return;
        }

        var key = await UserManager.GetAuthenticatorKeyAsync(_user);
        if (string.IsNullOrEmpty(key))
        {
            // A first key for an account that has none changes nothing about how it signs in, so unlike
            // ResetAuthenticatorKeyAsync it must not renew the security stamp: that would sign the person out everywhere,
            // this very session included, within a minute of merely opening this page.
            key = UserManager.GenerateNewAuthenticatorKey();
            await ((IUserAuthenticatorKeyStore<NovaCronUser>)UserStore).SetAuthenticatorKeyAsync(_user, key, CancellationToken.None);
            await UserManager.UpdateAsync(_user);
        }

        _formattedKey = FormatKey(key);
        _authenticatorUri = $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(_userName)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(_authenticatorUri, QRCodeGenerator.ECCLevel.Q);
        _qrCodeDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(5));
    }

    private async Task ChangePasswordAsync()
    {
        if (Password.New != Password.Confirm)
        {
            Password = new PasswordInput();
            await ReportAsync("account.change-password", "The two new passwords differ.", failed: true);
            return;
        }

        var result = await UserManager.ChangePasswordAsync(_user, Password.Current, Password.New);
        if (!result.Succeeded)
        {
            // Passwords are never sent back to the browser inside the form.
            Password = new PasswordInput();
            await ReportAsync("account.change-password", string.Join(" ", result.Errors.Select(e => e.Description)), failed: true);
            return;
        }

        await SignInManager.RefreshSignInAsync(_user);
        Password = new PasswordInput();
        await ReportAsync("account.change-password", "Your password was changed.", failed: false);
    }

    private async Task EnableAsync()
    {
        var code = Verify.Code.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (!await UserManager.VerifyTwoFactorTokenAsync(_user, UserManager.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            await ReportAsync("account.enable-2fa", "That code is not valid. Check that your device's clock is right and enter the current code.", failed: true);
            return;
        }

        await UserManager.SetTwoFactorEnabledAsync(_user, true);
        _recoveryCodes = [.. await UserManager.GenerateNewTwoFactorRecoveryCodesAsync(_user, RecoveryCodeCount) ?? []];
        await SignInManager.RefreshSignInAsync(_user);
        await LoadTwoFactorAsync();
        await ReportAsync("account.enable-2fa", "Two-factor authentication is on. From now on you sign in with your password and a code from the app.", failed: false);
    }

    private async Task DisableAsync()
    {
        // Whoever sits at an unlocked, signed-in browser must not be able to strip the second factor.
        if (!await UserManager.CheckPasswordAsync(_user, Disable.Password))
        {
            Disable = new DisableInput();
            await ReportAsync("account.disable-2fa", "The password is wrong; two-factor authentication stays on.", failed: true);
            return;
        }

        Disable = new DisableInput();
        await UserManager.SetTwoFactorEnabledAsync(_user, false);
        await UserManager.ResetAuthenticatorKeyAsync(_user);
        await SignInManager.RefreshSignInAsync(_user);
        await LoadTwoFactorAsync();
        await ReportAsync("account.disable-2fa", "Two-factor authentication is off; the old authenticator entry no longer works.", failed: false);
    }

    private async Task RegenerateCodesAsync()
    {
        _recoveryCodes = [.. await UserManager.GenerateNewTwoFactorRecoveryCodesAsync(_user, RecoveryCodeCount) ?? []];
        await LoadTwoFactorAsync();
        await ReportAsync("account.regenerate-recovery-codes", "New recovery codes were made; the old ones no longer work.", failed: false);
    }

    /// <summary>Shows the outcome and audits it: every change to one's own credentials is recorded, refused or not.</summary>
    private async Task ReportAsync(string action, string message, bool failed)
    {
        _message = message;
        _failed = failed;
        var actor = new Features.Actor(_userName, $"ui {HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown"}", new Domain.Identity.UserAccess(_user.Id, _userName, [], []));
        if (failed)
        {
            await Audit.RecordRefusalAsync(actor, action, "user", _user.Id.ToString(), _userName, null, Domain.Common.Error.Validation(action, message), CancellationToken.None);
            return;
        }

        await using var db = await DbFactory.CreateDbContextAsync();
        await Audit.RecordAsync(db, actor, action, "user", _user.Id.ToString(), _userName, null, Domain.Audit.AuditResult.Succeeded, message, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    private static string FormatKey(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            text.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return text.ToString().TrimEnd().ToLowerInvariant();
    }

    public sealed class PasswordInput
    {
        [Required(ErrorMessage = "Enter your current password.")]
        public string Current { get; set; } = string.Empty;

        [Required(ErrorMessage = "Enter a new password.")]
        [StringLength(200, MinimumLength = 12, ErrorMessage = "The new password needs at least 12 characters.")]
        public string New { get; set; } = string.Empty;

        [Required(ErrorMessage = "Enter the new password again.")]
        public string Confirm { get; set; } = string.Empty;
    }

    public sealed class DisableInput
    {
        [Required(ErrorMessage = "Enter your password.")]
        public string Password { get; set; } = string.Empty;
    }

    public sealed class VerifyInput
    {
        [Required(ErrorMessage = "Enter the code from the app.")]
        public string Code { get; set; } = string.Empty;
    }
}
