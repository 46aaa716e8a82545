using System.Globalization;
using Microsoft.AspNetCore.Identity;
using NovaCron.Infrastructure.Identity;

namespace NovaCron.Web.Security;

/// <summary>TOTP codes from an authenticator app, each usable once: a code seen over someone's shoulder, or replayed
/// from a captured request, does not sign in a second time while it is still within its validity window (Identity's
/// own provider accepts a code for up to 90 s, however often). The last accepted code is kept with the user's tokens.</summary>
public sealed class SingleUseAuthenticatorTokenProvider : AuthenticatorTokenProvider<NovaCronUser>
{
    public const string Name = "NovaCronAuthenticator";
    private const string LoginProvider = "NovaCron";
    private const string LastCodeToken = "LastAuthenticatorCode";

    /// <summary>Longer than the window in which Identity accepts a code (the current 30 s step and one either side).</summary>
    private static readonly TimeSpan ReuseWindow = TimeSpan.FromSeconds(120);

    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<NovaCronUser> manager, NovaCronUser user)
    {
        if (!await base.ValidateAsync(purpose, token, manager, user))
        {
            return false;
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (await manager.GetAuthenticationTokenAsync(user, LoginProvider, LastCodeToken) is { } last
            && last.Split(':') is [var code, var at]
            && code == token
            && long.TryParse(at, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && now - seconds < ReuseWindow.TotalSeconds)
        {
            return false;
        }

        await manager.SetAuthenticationTokenAsync(user, LoginProvider, LastCodeToken, string.Create(CultureInfo.InvariantCulture, $"{token}:{now}"));
        return true;
    }
}
