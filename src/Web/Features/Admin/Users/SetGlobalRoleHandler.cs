using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Identity;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Features.Audit;

namespace NovaCron.Web.Features.Admin.Users;

/// <summary>Sets or clears the role whose permissions a user holds everywhere.</summary>
public sealed class SetGlobalRoleHandler(IServiceScopeFactory scopes, AuditLog audit, TimeProvider clock)
{
    public async Task<Result<UserView>> HandleAsync(Guid userId, SetGlobalRoleRequest request, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Access.Can(Permissions.UserManage))
        {
            var denied = Error.MissingPermission(Permissions.UserManage, "to change global roles");
            await audit.RecordRefusalAsync(actor, "user.set-global-role", "user", userId.ToString(), null, null, denied, cancellationToken);
            return denied;
        }

        // Otherwise the last administrator could lock everybody out of administration in one click.
        if (actor.UserId == userId)
        {
            return Error.Conflict("user.self", "You cannot change your own global role; ask another administrator.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NovaCronUser>>();
        var db = scope.ServiceProvider.GetRequiredService<NovaCronDbContext>();
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return IdentityErrors.UserNotFound(userId);
        }

        string? roleName = null;
        if (request.RoleId is { } roleId)
        {
            roleName = await db.AccessRoles.Where(r => r.Id == new RoleId(roleId)).Select(r => r.Name).SingleOrDefaultAsync(cancellationToken);
            if (roleName is null)
            {
                return Error.Validation("role.unknown", $"No role with id {roleId}.");
            }
        }

        user.GlobalRoleId = request.RoleId;
        await audit.RecordAsync(db, actor, "user.set-global-role", "user", user.Id.ToString(), user.UserName, null, AuditResult.Succeeded, roleName is null ? "no global role" : $"global role {roleName}", cancellationToken);
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded)
        {
            return IdentityErrors.ToError(updated, "user.update");
        }

        return (await UserQueries.ViewsAsync(db, user.Id, clock.GetUtcNow(), cancellationToken))[0];
    }
}
