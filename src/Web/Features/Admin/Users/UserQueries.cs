using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Persistence;

namespace NovaCron.Web.Features.Admin.Users;

/// <summary>Read side of users, for holders of <see cref="Permissions.UserManage"/>.</summary>
public sealed class UserQueries(IDbContextFactory<NovaCronDbContext> dbFactory, TimeProvider clock)
{
    public async Task<Result<IReadOnlyList<UserView>>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Access.Can(Permissions.UserManage))
        {
            return Error.MissingPermission(Permissions.UserManage, "to see users");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return Result<IReadOnlyList<UserView>>.Success(await ViewsAsync(db, null, clock.GetUtcNow(), cancellationToken));
    }

    /// <summary>The id of the user named <paramref name="userName"/>, for adding a member to a project by name.</summary>
    public async Task<Result<Guid>> FindIdAsync(Actor actor, string userName, CancellationToken cancellationToken)
    {
        if (!actor.Access.Can(Permissions.UserManage) && !actor.Access.Can(Permissions.ProjectManage))
        {
            return Error.MissingPermission(Permissions.ProjectManage, "in any project");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var normalized = userName.Trim().ToUpperInvariant();
        var id = await db.Users.Where(u => u.NormalizedUserName == normalized).Select(u => (Guid?)u.Id).SingleOrDefaultAsync(cancellationToken);
        return id is { } found ? found : IdentityErrors.UserNotFoundByName(userName);
    }

    /// <summary>Views of every user, or of one; used by the handlers to answer with the changed user.</summary>
    internal static async Task<IReadOnlyList<UserView>> ViewsAsync(NovaCronDbContext db, Guid? only, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var users = db.Users.AsNoTracking();
        var memberships = db.Memberships.AsNoTracking();
        if (only is { } id)
        {
            users = users.Where(u => u.Id == id);
            memberships = memberships.Where(m => m.UserId == id);
        }

        var userList = await users.OrderBy(u => u.UserName).ToListAsync(cancellationToken);
        var membershipList = await memberships.ToListAsync(cancellationToken);
        var roles = await db.AccessRoles.AsNoTracking().ToDictionaryAsync(r => r.Id.Value, r => r.Name, cancellationToken);
        var projects = await db.Projects.AsNoTracking().ToDictionaryAsync(p => p.Id.Value, p => p.Name, cancellationToken);
        var byUser = membershipList.ToLookup(m => m.UserId);
        return
        [
            .. userList.Select(u => new UserView(
                u.Id,
                u.UserName ?? string.Empty,
                u.DisplayName,
                u.GlobalRoleId,
                u.GlobalRoleId is { } role ? roles.GetValueOrDefault(role) : null,
                u.TwoFactorEnabled,
                u.LockoutEnd is { } end && end > now,
                u.DisabledAt is not null,
                u.CreatedAt,
                [.. byUser[u.Id]
                    .Select(m => new MembershipView(m.ProjectId.Value, projects.GetValueOrDefault(m.ProjectId.Value, "(deleted)"), m.RoleId.Value, roles.GetValueOrDefault(m.RoleId.Value, "(deleted)")))
                    .OrderBy(m => m.ProjectName, StringComparer.Ordinal)])),
        ];
    }
}
