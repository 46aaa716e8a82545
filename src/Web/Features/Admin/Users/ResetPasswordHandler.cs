using Microsoft.AspNetCore.Identity;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Identity;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Features.Audit;

namespace NovaCron.Web.Features.Admin.Users;

/// <summary>An administrator sets a new password for a user (a reset token is made and used at once). The password
/// rules apply and their messages are returned; the security stamp changes, which ends the user's other sessions.</summary>
public sealed class ResetPasswordHandler(IServiceScopeFactory scopes, AuditLog audit, TimeProvider clock)
{
    public async Task<Result<UserView>> HandleAsync(Guid userId, ResetPasswordRequest request, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Access.Can(Permissions.UserManage))
        {
            var denied = Error.MissingPermission(Permissions.UserManage, "to reset passwords");
            await audit.RecordRefusalAsync(actor, "user.reset-password", "user", userId.ToString(), null, null, denied, cancellationToken);
            return denied;
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NovaCronUser>>();
        var db = scope.ServiceProvider.GetRequiredService<NovaCronDbContext>();
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            var unknown = IdentityErrors.UserNotFound(userId);
            await audit.RecordRefusalAsync(actor, "user.reset-password", "user", userId.ToString(), null, null, unknown, cancellationToken);
            return unknown;
        }

        var token = await users.GeneratePasswordResetTokenAsync(user);
        await audit.RecordAsync(db, actor, "user.reset-password", "user", user.Id.ToString(), user.UserName, null, AuditResult.Succeeded, null, cancellationToken);
        var reset = await users.ResetPasswordAsync(user, token, request.NewPassword ?? string.Empty);
        if (!reset.Succeeded)
        {
            // The staged success record dies with this scope's context; the refusal is recorded on its own.
            var refused = IdentityErrors.ToError(reset, "user.password");
            await audit.RecordRefusalAsync(actor, "user.reset-password", "user", user.Id.ToString(), user.UserName, null, refused, cancellationToken);
            return refused;
        }

        // An administrator's reset is also how a locked-out person gets back in.
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);

        return (await UserQueries.ViewsAsync(db, user.Id, clock.GetUtcNow(), cancellationToken))[0];
    }
}
