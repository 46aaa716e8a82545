using Microsoft.AspNetCore.Identity;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Identity;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Features.Audit;

namespace NovaCron.Web.Features.Admin.Users;

/// <summary>Disables or enables a user. A disabled user resolves to no access (<see cref="Security.AccessResolver"/>),
/// so its API tokens stop working at once; the security stamp changes too, so its cookies are refused when revalidated.</summary>
public sealed class SetUserDisabledHandler(IServiceScopeFactory scopes, AuditLog audit, TimeProvider clock)
{
    public async Task<Result<UserView>> HandleAsync(Guid userId, bool disabled, Actor actor, CancellationToken cancellationToken)
    {
        var action = disabled ? "user.disable" : "user.enable";
        if (!actor.Access.Can(Permissions.UserManage))
        {
            var denied = Error.MissingPermission(Permissions.UserManage, "to disable or enable users");
            await audit.RecordRefusalAsync(actor, action, "user", userId.ToString(), null, null, denied, cancellationToken);
            return denied;
        }

        if (disabled && actor.UserId == userId)
        {
            return Error.Conflict("user.self", "You cannot disable yourself.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NovaCronUser>>();
        var db = scope.ServiceProvider.GetRequiredService<NovaCronDbContext>();
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            return IdentityErrors.UserNotFound(userId);
        }

        var now = clock.GetUtcNow();
        user.DisabledAt = disabled ? user.DisabledAt ?? now : null;
        await audit.RecordAsync(db, actor, action, "user", user.Id.ToString(), user.UserName, null, AuditResult.Succeeded, null, cancellationToken);
        var updated = await users.UpdateSecurityStampAsync(user);
        if (!updated.Succeeded)
        {
            return IdentityErrors.ToError(updated, "user.update");
        }

        return (await UserQueries.ViewsAsync(db, user.Id, now, cancellationToken))[0];
    }
}
