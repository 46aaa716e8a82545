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
    AccessCache<ApiTokenAuthenticationHandler.KnownToken?> cache,
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

        var known = await cache.GetOrLoadAsync(lookup, () => LoadAsync(lookup, Context.RequestAborted));
        if (known is null || !Secrets.Matches(token, known.Token.SecretHash))
        {
            return Refuse("unknown", "The API token is not known.", lookup);
        }

        var (apiToken, owner) = known;
        var now = clock.GetUtcNow();
        if (apiToken.RevokedAt is not null)
        {
            return Refuse("revoked", "The API token was revoked.", lookup);
        }

        if (!apiToken.IsUsable(now))
        {
            return Refuse("expired", "The API token has expired.", lookup);
        }

        if (owner is null || owner.DisabledAt is not null)
        {
            return Refuse("owner-disabled", "The owner of the API token is disabled.", lookup);
        }

        if (apiToken.LastUsedAt is not { } last || now - last >= UsageResolution)
        {
            await MarkUsedAsync(apiToken.Id, now, Context.RequestAborted);
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, owner.Id.ToString()),
            new(ClaimTypes.Name, owner.UserName ?? owner.Id.ToString()),
            new(NovaCronClaims.TokenId, apiToken.Id.ToString()),
            new(NovaCronClaims.TokenExpiresAt, apiToken.ExpiresAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (apiToken.Permissions is { } limited)
        {
            claims.Add(new Claim(NovaCronClaims.TokenPermissions, string.Join(' ', limited)));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>The token and its owner as stored, read without tracking; kept briefly by <see cref="AccessCache{TValue}"/>.</summary>
    public sealed record KnownToken(ApiToken Token, NovaCron.Infrastructure.Identity.NovaCronUser? Owner);

    private async Task<KnownToken?> LoadAsync(string lookup, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var apiToken = await db.ApiTokens.AsNoTracking().SingleOrDefaultAsync(t => t.LookupId == lookup, cancellationToken);
        if (apiToken is null)
        {
            return null;
        }

        var owner = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == apiToken.UserId, cancellationToken);
        return new KnownToken(apiToken, owner);
    }

    /// <summary>Records use at most once per <see cref="UsageResolution"/>; the save refreshes the cached token too.</summary>
    private async Task MarkUsedAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id, cancellationToken) is { } tracked)
        {
            tracked.MarkUsed(now);
            await db.SaveChangesAsync(cancellationToken);
        }
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
