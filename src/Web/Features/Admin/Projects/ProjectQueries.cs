using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Projects;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence;

namespace NovaCron.Web.Features.Admin.Projects;

/// <summary>Projects with their usage. Holders of <see cref="Permissions.UserManage"/> see every project; holders of
/// <see cref="Permissions.ProjectManage"/> see the projects they manage.</summary>
public sealed class ProjectQueries(IDbContextFactory<NovaCronDbContext> dbFactory)
{
    public async Task<Result<IReadOnlyList<ProjectView>>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        IReadOnlyCollection<ProjectId>? visible = null;
        if (!actor.Access.Can(Permissions.UserManage))
        {
            visible = actor.Access.ProjectsWith(Permissions.ProjectManage);
            if (visible is { Count: 0 })
            {
                return Error.MissingPermission(Permissions.ProjectManage, "in any project");
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return Result<IReadOnlyList<ProjectView>>.Success(await ViewsAsync(db, visible, cancellationToken));
    }

    /// <summary>Views of the given projects (null: all).</summary>
    internal static async Task<IReadOnlyList<ProjectView>> ViewsAsync(NovaCronDbContext db, IReadOnlyCollection<ProjectId>? only, CancellationToken cancellationToken)
    {
        var query = db.Projects.AsNoTracking();
        if (only is not null)
        {
            var ids = only.ToList();
            query = query.Where(p => ids.Contains(p.Id));
        }

        var projects = await query.OrderBy(p => p.Name).ToListAsync(cancellationToken);
        var usage = await UsageAsync(db, cancellationToken);
        var memberships = await db.Memberships.AsNoTracking().ToListAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.UserName ?? u.Id.ToString(), cancellationToken);
        var roles = await db.AccessRoles.AsNoTracking().ToDictionaryAsync(r => r.Id.Value, r => r.Name, cancellationToken);
        var byProject = memberships.ToLookup(m => m.ProjectId);
        return
        [
            .. projects.Select(p => new ProjectView(
                p.Id.Value,
                p.Name,
                p.Description,
                p.Quota,
                usage.GetValueOrDefault(p.Id, ProjectUsage.None),
                p.CreatedAt,
                [.. byProject[p.Id]
                    .Select(m => new ProjectMemberView(m.UserId, users.GetValueOrDefault(m.UserId, "(deleted)"), m.RoleId.Value, roles.GetValueOrDefault(m.RoleId.Value, "(deleted)")))
                    .OrderBy(m => m.UserName, StringComparer.Ordinal)])),
        ];
    }

    /// <summary>What each project uses: its VMs that are not deleted, and the sum of their specs.</summary>
    public static async Task<Dictionary<ProjectId, ProjectUsage>> UsageAsync(NovaCronDbContext db, CancellationToken cancellationToken)
    {
        // Specs are stored as one column per VM, so the sums are made here; a project has at most a few thousand VMs.
        var vms = await db.Vms.AsNoTracking().Where(v => v.State != VmState.Deleted).ToListAsync(cancellationToken);
        return vms.GroupBy(v => v.ProjectId).ToDictionary(g => g.Key, g => g.Aggregate(ProjectUsage.None, (usage, vm) => usage.Add(vm.Spec.AsCapacity())));
    }
}
