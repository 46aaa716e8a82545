using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Features.Audit;

namespace NovaCron.Web.Features.Admin.Tokens;

/// <summary>Issues an API token to the caller, never with more than the caller holds (<see cref="UserAccess.Holds"/>).
/// Only the token's hash is stored; the secret is returned once.</summary>
public sealed class CreateTokenHandler(IDbContextFactory<NovaCronDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    public async Task<Result<CreatedToken>> HandleAsync(CreateTokenRequest request, Actor actor, CancellationToken cancellationToken)
    {
        if (actor.UserId is not { } userId)
        {
            return Error.Forbidden("token.signed-in", "Only a signed-in user can create API tokens.");
        }

        var issued = ApiToken.Issue(userId, request.Name, request.ExpiresAt, request.Permissions, actor.Access, clock.GetUtcNow());
        if (!issued.IsSuccess)
        {
            return issued.Error!;
        }

        var (token, secret) = issued.Value;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ApiTokens.Add(token);
        var scope = token.Permissions is { } limited ? string.Join(' ', limited) : "all of the owner's permissions";
        await audit.RecordAsync(db, actor, "token.create", "api-token", token.Id.ToString(), token.Name, null, AuditResult.Succeeded, $"expires {token.ExpiresAt:O}; {scope}", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedToken(TokenView.From(token, actor.Access.UserName), secret);
    }
}

/// <summary>Revokes a token: one's own, or anybody's with <see cref="Permissions.UserManage"/>. Revoking twice is fine.</summary>
public sealed class RevokeTokenHandler(IDbContextFactory<NovaCronDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    public async Task<Result<TokenView>> HandleAsync(Guid tokenId, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId, cancellationToken);

        // Somebody else's token is reported as missing, so ids of other users' tokens cannot be probed.
        if (token is null || (token.UserId != actor.UserId && !actor.Access.Can(Permissions.UserManage)))
        {
            return Error.NotFound("token.not-found", $"No API token with id {tokenId}.");
        }

        // A token limited to some permissions must not be able to lock its owner out of broader automation.
        if (actor.Access.TokenLimit is { } limit
            && (token.Permissions is null || token.Permissions.Any(p => !limit.Contains(p))))
        {
            var denied = Error.Forbidden("token.broader", $"A token limited to {string.Join(", ", limit)} may revoke only tokens limited at least as narrowly; '{token.Name}' is broader.");
            await audit.RecordRefusalAsync(actor, "token.revoke", "api-token", token.Id.ToString(), token.Name, null, denied, cancellationToken);
            return denied;
        }

        token.Revoke(clock.GetUtcNow());
        var owner = await db.Users.Where(u => u.Id == token.UserId).Select(u => u.UserName).SingleOrDefaultAsync(cancellationToken) ?? token.UserId.ToString();
        await audit.RecordAsync(db, actor, "token.revoke", "api-token", token.Id.ToString(), token.Name, null, AuditResult.Succeeded, $"owner {owner}", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TokenView.From(token, owner);
    }
}
