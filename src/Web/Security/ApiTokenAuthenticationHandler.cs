using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Persistence;

namespace NovaCron.Web.Security;

/// <summary>Where an authentication handler leaves the reason it refused a credential, for the 401 answer.</summary>
public static class AuthenticationFailure
{
    public const string ItemKey = "nc:auth-failure";
}

/// <summary>Authenticates <c>Authorization: Bearer nct_…</c> API tokens: the token's owner, narrowed to the token's
/// permissions when it has a subset. Tokens of other kinds are left to other schemes.</summary>
public sealed partial class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IDbContextFactory<NovaCronDbContext> dbFactory,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiToken";

    private static readonly TimeSpan UsageResolution = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header[Prefix.Length..].Trim();
        var lookup = Secrets.LookupIdOf(token, ApiToken.Kind);
        if (lookup is null)
        {
            return Refuse("unknown", "The bearer token is not a NovaCron API token.", null);
        }

        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        var apiToken = await db.ApiTokens.SingleOrDefaultAsync(t => t.LookupId == lookup, Context.RequestAborted);
        if (apiToken is null || !Secrets.Matches(token, apiToken.SecretHash))
        {
            return Refuse("unknown", "The API token is not known.", lookup);
        }

        var now = clock.GetUtcNow();
        if (apiToken.RevokedAt is not null)
        {
            return Refuse("revoked", "The API token was revoked.", lookup);
        }

        if (!apiToken.IsUsable(now))
        {
            return Refuse("expired", "The API token has expired.", lookup);
        }

        var owner = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == apiToken.UserId, Context.RequestAborted);
        if (owner is null || owner.DisabledAt is not null)
        {
            return Refuse("owner-disabled", "The owner of the API token is disabled.", lookup);
        }

        if (apiToken.LastUsedAt is not { } last || now - last >= UsageResolution)
        {
            apiToken.MarkUsed(now);
            await db.SaveChangesAsync(Context.RequestAborted);
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, owner.Id.ToString()),
            new(ClaimTypes.Name, owner.UserName ?? owner.Id.ToString()),
            new(NovaCronClaims.TokenId, apiToken.Id.ToString()),
        };
        if (apiToken.Permissions is { } limited)
        {
            claims.Add(new Claim(NovaCronClaims.TokenPermissions, string.Join(' ', limited)));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private AuthenticateResult Refuse(string reason, string message, string? lookupId)
    {
        LogRefused(Logger, reason, lookupId ?? "-", Context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        Context.Items[AuthenticationFailure.ItemKey] = message;
        return AuthenticateResult.Fail(message);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused an API token ({Reason}, lookup id {LookupId}) from {Address}")]
    private static partial void LogRefused(ILogger logger, string reason, string lookupId, string address);
}
