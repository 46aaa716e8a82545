using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Persistence;

namespace NovaCron.Web.Features.Admin.Roles;

/// <summary>Built-in and custom roles. Listing needs <see cref="Permissions.UserManage"/> or, to pick a role for a
/// project member, <see cref="Permissions.ProjectManage"/> somewhere.</summary>
public sealed class RoleQueries(IDbContextFactory<NovaCronDbContext> dbFactory)
{
    public async Task<Result<IReadOnlyList<RoleView>>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Access.Can(Permissions.UserManage) && !actor.Access.Can(Permissions.ProjectManage))
        {
            return Error.MissingPermission(Permissions.UserManage, "to see roles");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return Result<IReadOnlyList<RoleView>>.Success(await ViewsAsync(db, null, cancellationToken));
    }

    internal static async Task<IReadOnlyList<RoleView>> ViewsAsync(NovaCronDbContext db, RoleId? only, CancellationToken cancellationToken)
    {
        var query = db.AccessRoles.AsNoTracking();
        if (only is { } id)
        {
            query = query.Where(r => r.Id == id);
        }

        var roles = await query.ToListAsync(cancellationToken);
        var globalUse = await db.Users.Where(u => u.GlobalRoleId != null).GroupBy(u => u.GlobalRoleId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var memberUse = (await db.Memberships.AsNoTracking().ToListAsync(cancellationToken)).GroupBy(m => m.RoleId.Value).ToDictionary(g => g.Key, g => g.Count());
        var global = globalUse.ToDictionary(g => g.Key, g => g.Count);
        return
        [
            .. roles
                .OrderByDescending(r => r.IsBuiltIn)
                .ThenBy(r => r.Name, StringComparer.Ordinal)
                .Select(r => new RoleView(r.Id.Value, r.Name, r.Description, r.IsBuiltIn, r.Permissions, global.GetValueOrDefault(r.Id.Value) + memberUse.GetValueOrDefault(r.Id.Value))),
        ];
    }
}
