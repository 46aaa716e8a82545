using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Persistence;

namespace NovaCron.Web.Features.Admin.Tokens;

/// <summary>API tokens: every signed-in user sees their own; holders of <see cref="Permissions.UserManage"/> everyone's.</summary>
public sealed class TokenQueries(IDbContextFactory<NovaCronDbContext> dbFactory)
{
    public async Task<Result<IReadOnlyList<TokenView>>> ListAsync(Actor actor, bool everyone, CancellationToken cancellationToken)
    {
        if (actor.UserId is not { } userId)
        {
            return Error.Forbidden("token.signed-in", "Only a signed-in user has API tokens.");
        }

        if (everyone && !actor.Access.Can(Permissions.UserManage))
        {
            return Error.MissingPermission(Permissions.UserManage, "to see other users' tokens");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.ApiTokens.AsNoTracking();
        if (!everyone)
        {
            query = query.Where(t => t.UserId == userId);
        }

        var tokens = await query.OrderByDescending(t => t.CreatedAt).ToListAsync(cancellationToken);
        var owners = tokens.Select(t => t.UserId).Distinct().ToList();
        var names = await db.Users.Where(u => owners.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName ?? u.Id.ToString(), cancellationToken);
        return tokens.Select(t => TokenView.From(t, names.GetValueOrDefault(t.UserId, "(deleted)"))).ToList();
    }
}
