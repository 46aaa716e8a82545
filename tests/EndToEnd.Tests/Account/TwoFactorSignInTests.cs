using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NovaCron.Domain.Audit;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Testing;

namespace NovaCron.EndToEnd.Tests.Account;

/// <summary>In Debian Chromium: sign in, turn on TOTP two-factor authentication, sign out, sign in with password and
/// code, then with password and a recovery code, land on the interactive dashboard, with no Content-Security-Policy
/// violation on the way; turning two-factor on is audited.</summary>
public sealed class TwoFactorSignInTests : IAsyncLifetime
{
    private readonly List<string> _cspViolations = [];
    private NovaCronStack _stack = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async ValueTask InitializeAsync()
    {
        _stack = await NovaCronStack.StartAsync(withAgent: false);
        (_playwright, _browser) = await Browser.LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _stack.DisposeAsync();
    }

    private Uri ServerAddress => new(_stack.WebServices.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    [Fact]
    public async Task SignIn_AfterEnablingTotp_NeedsCodeAndLandsOnDashboard()
    {
        var page = await _browser.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                _cspViolations.Add(message.Text);
            }
        };

        await SignInWithPasswordAsync(page);
        await page.WaitForURLAsync(new Uri(ServerAddress, "/").ToString());
        await page.Locator("#circuit-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 30_000 });

        var stampBefore = await _stack.InDbAsync(db => db.Users.Where(u => u.UserName == NovaCronStack.AdminUserName).Select(u => u.SecurityStamp).SingleAsync());
        await page.GotoAsync(new Uri(ServerAddress, "/account/manage").ToString());
        var key = (await page.Locator("#totp-key").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal);
        // Merely showing a first authenticator key must not renew the security stamp, which signs out every session.
        Assert.Equal(stampBefore, await _stack.InDbAsync(db => db.Users.Where(u => u.UserName == NovaCronStack.AdminUserName).Select(u => u.SecurityStamp).SingleAsync()));
        var enableCode = Totp.Code(key, DateTimeOffset.UtcNow);
        await page.Locator("#totp-code").FillAsync(enableCode);
        await page.Locator("#enable-2fa").ClickAsync();
        await page.Locator("#recovery-codes").WaitForAsync();
        Assert.Equal(10, await page.Locator("#recovery-codes > div").CountAsync());
        var recoveryCode = (await page.Locator("#recovery-codes > div").First.InnerTextAsync()).Trim();
        Assert.Contains("on", await page.Locator("#two-factor-status").InnerTextAsync(), StringComparison.Ordinal);

        await page.GotoAsync(ServerAddress.ToString());
        await page.Locator("#circuit-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        await page.Locator("#sign-out-form button").ClickAsync();
        await page.WaitForURLAsync("**/account/login**");

        await SignInWithPasswordAsync(page);
        await page.WaitForURLAsync("**/account/login-2fa**");
        // Each code works once: the one that turned two-factor on does not sign in; the app's next one does.
        var signInCode = await Eventually.GetAsync(
            () => Task.FromResult<string?>(Totp.Code(key, DateTimeOffset.UtcNow)), code => code != enableCode, TimeSpan.FromSeconds(40), "the authenticator's next code");
        await page.Locator("#code").FillAsync(signInCode);
        await page.Locator("#verify").ClickAsync();
        await page.WaitForURLAsync(new Uri(ServerAddress, "/").ToString());
        await page.Locator("#circuit-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 30_000 });

        Assert.Equal(NovaCronStack.AdminUserName, await page.Locator("#user-menu-name").InnerTextAsync());

        // The same code again, still inside its 90 s window, is refused.
        await page.Locator("#sign-out-form button").ClickAsync();
        await page.WaitForURLAsync("**/account/login**");
        await SignInWithPasswordAsync(page);
        await page.WaitForURLAsync("**/account/login-2fa**");
        await page.Locator("#code").FillAsync(signInCode);
        await page.Locator("#verify").ClickAsync();
        await Assertions.Expect(page.Locator("#login-message")).ToContainTextAsync("already used");

        // Without the authenticator: a recovery code signs in once.
        await page.Locator("#use-recovery-code").ClickAsync();
        await page.WaitForURLAsync("**/account/login-recovery**");
        await page.Locator("#recovery-code").FillAsync(recoveryCode);
        await page.Locator("#verify").ClickAsync();
        await page.WaitForURLAsync(new Uri(ServerAddress, "/").ToString());
        await page.Locator("#circuit-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        Assert.Equal(NovaCronStack.AdminUserName, await page.Locator("#user-menu-name").InnerTextAsync());
        // Turning it off takes the password: a wrong one leaves it on.
        await page.GotoAsync(new Uri(ServerAddress, "/account/manage").ToString());
        await page.Locator("#disable-2fa-password").FillAsync("not-the-password");
        await page.Locator("#disable-2fa").ClickAsync();
        await Assertions.Expect(page.GetByText("The password is wrong")).ToBeVisibleAsync();
        Assert.Contains("on", await page.Locator("#two-factor-status").InnerTextAsync(), StringComparison.Ordinal);
        await page.Locator("#disable-2fa-password").FillAsync(_stack.AdminPassword);
        await page.Locator("#disable-2fa").ClickAsync();
        await Assertions.Expect(page.Locator("#two-factor-status")).ToContainTextAsync("off");

        var records = await _stack.InDbAsync(db => db.AuditRecords.AsNoTracking().ToListAsync());
        Assert.Contains(records, r => r.Action == "account.enable-2fa" && r.Actor == NovaCronStack.AdminUserName && r.Result == AuditResult.Succeeded);
        Assert.Contains(records, r => r.Action == "account.disable-2fa" && r.Result == AuditResult.Failed);
        Assert.Contains(records, r => r.Action == "account.disable-2fa" && r.Result == AuditResult.Succeeded);

        Assert.Empty(_cspViolations);
    }

    private async Task SignInWithPasswordAsync(IPage page)
    {
        await page.GotoAsync(new Uri(ServerAddress, "/account/login").ToString());
        await page.Locator("#username").FillAsync(NovaCronStack.AdminUserName);
        await page.Locator("#password").FillAsync(_stack.AdminPassword);
        await page.Locator("#sign-in").ClickAsync();
    }

    /// <summary>RFC 6238 TOTP (SHA-1, 30 s, 6 digits) as authenticator apps compute it.</summary>
    private static class Totp
    {
        public static string Code(string base32Key, DateTimeOffset at)
        {
            var counter = BitConverter.GetBytes(at.ToUnixTimeSeconds() / 30);
            if (BitConverter.IsLittleEndian)
            {
                Array.Reverse(counter);
            }

            var hash = HMACSHA1.HashData(FromBase32(base32Key), counter);
            var offset = hash[^1] & 0x0f;
            var value = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
            return (value % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        }

        private static byte[] FromBase32(string text)
        {
            const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
            var bytes = new List<byte>();
            int buffer = 0, bits = 0;
            foreach (var c in text.ToUpperInvariant().TrimEnd('='))
            {
                buffer = (buffer << 5) | Alphabet.IndexOf(c, StringComparison.Ordinal);
                bits += 5;
                if (bits >= 8)
                {
                    bits -= 8;
                    bytes.Add((byte)(buffer >> bits));
                    buffer &= (1 << bits) - 1;
                }
            }

            return [.. bytes];
        }
    }
}
