using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Projects;
using NovaCron.Infrastructure.Identity;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Features.Audit;

namespace NovaCron.Web.Features.Admin.Users;

/// <summary>Adds, changes or removes a user's membership of a project. Allowed to holders of
/// <see cref="Permissions.UserManage"/> and of <see cref="Permissions.ProjectManage"/> in that project.</summary>
public sealed class SetMembershipHandler(IDbContextFactory<NovaCronDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    public async Task<Result<UserView>> HandleAsync(SetMembershipRequest request, Actor actor, CancellationToken cancellationToken)
    {
        var projectId = new ProjectId(request.ProjectId);
        var action = request.RoleId is null ? "project.remove-member" : "project.set-member";
        if (!actor.Access.Can(Permissions.UserManage) && !actor.Access.Can(Permissions.ProjectManage, projectId))
        {
            var denied = Error.MissingPermission(Permissions.ProjectManage, "in this project");
            await audit.RecordRefusalAsync(actor, action, "user", request.UserId.ToString(), null, request.ProjectId, denied, cancellationToken);
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == request.UserId, cancellationToken);
        if (user is null)
        {
            return IdentityErrors.UserNotFound(request.UserId);
        }

        var project = await db.Projects.AsNoTracking().SingleOrDefaultAsync(p => p.Id == projectId, cancellationToken);
        if (project is null)
        {
            return Error.NotFound("project.not-found", $"No project with id {request.ProjectId}.");
        }

        string? roleName = null;
        if (request.RoleId is { } roleId)
        {
            var role = await db.AccessRoles.AsNoTracking().SingleOrDefaultAsync(r => r.Id == new RoleId(roleId), cancellationToken);
            if (role is null)
            {
                return Error.Validation("role.unknown", $"No role with id {roleId}.");
            }

            roleName = role.Name;
            if (await RefuseGrantAsync(actor, action, user, project, role, "give", cancellationToken) is { } refusal)
            {
                return refusal;
            }
        }

        // Replacing or removing a role is handing it out in reverse: a project manager cannot demote a member who holds
        // more than they do. Checked before the transaction: a refusal is audited on its own connection, which must
        // not wait for this one's write lock.
        var before = await db.Memberships.AsNoTracking().SingleOrDefaultAsync(m => m.UserId == request.UserId && m.ProjectId == projectId, cancellationToken);
        if (before is null && request.RoleId is null)
        {
            return Error.NotFound("membership.not-found", $"'{user.UserName}' is not a member of '{project.Name}'.");
        }

        if (before is not null)
        {
            var current = await db.AccessRoles.AsNoTracking().SingleAsync(r => r.Id == before.RoleId, cancellationToken);
            if (await RefuseGrantAsync(actor, action, user, project, current, "take away", cancellationToken) is { } refusal)
            {
                return refusal;
            }
        }

        // The membership's key is (user, project) and a record cannot change: a new role is a delete and an insert,
        // in one transaction so the user is never briefly without the membership.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.Memberships.SingleOrDefaultAsync(m => m.UserId == request.UserId && m.ProjectId == projectId, cancellationToken);
        if (existing?.RoleId != before?.RoleId)
        {
            return Error.Conflict("membership.changed", $"The membership of '{user.UserName}' in '{project.Name}' changed meanwhile; try again.");
        }

        if (existing is not null)
        {
            db.Memberships.Remove(existing);
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        if (request.RoleId is { } newRole)
        {
            db.Memberships.Add(new ProjectMembership(request.UserId, projectId, new RoleId(newRole)));
        }

        await audit.RecordAsync(db, actor, action, "user", user.Id.ToString(), user.UserName, request.ProjectId, AuditResult.Succeeded,
            roleName is null ? $"removed from project {project.Name}" : $"role {roleName} in project {project.Name}", cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (await UserQueries.ViewsAsync(db, user.Id, clock.GetUtcNow(), cancellationToken))[0];
    }

    private async Task<Error?> RefuseGrantAsync(Actor actor, string action, NovaCronUser user, Project project, Role role, string verb, CancellationToken cancellationToken)
    {
        if (actor.Access.FirstNotHeldIn(role.Permissions, project.Id) is not { } missing)
        {
            return null;
        }

        var denied = Error.MissingPermission(missing, $"in project '{project.Name}' to {verb} the role '{role.Name}' (nobody hands out permissions they do not hold)");
        await audit.RecordRefusalAsync(actor, action, "user", user.Id.ToString(), user.UserName, project.Id.Value, denied, cancellationToken);
        return denied;
    }
}
