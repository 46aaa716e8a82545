using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Identity;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Features.Audit;

namespace NovaCron.Web.Features.Admin.Users;

/// <summary>Creates a user with an initial password and optionally a global role. Identity's stores run in a scope made
/// for this call, so no context outlives the request (a Blazor circuit lives for hours); the audit record is added to
/// the same context and commits with the user.</summary>
public sealed class CreateUserHandler(IServiceScopeFactory scopes, AuditLog audit, TimeProvider clock)
{
    public const int MaxDisplayNameLength = 200;

    public async Task<Result<UserView>> HandleAsync(CreateUserRequest request, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Access.Can(Permissions.UserManage))
        {
            var denied = Error.MissingPermission(Permissions.UserManage, "to create users");
            await audit.RecordRefusalAsync(actor, "user.create", "user", null, request.UserName, null, denied, cancellationToken);
            return denied;
        }

        if (string.IsNullOrWhiteSpace(request.UserName))
        {
            return Error.Validation("user.name", "A user name is required.");
        }

        if ((request.DisplayName ?? string.Empty).Length > MaxDisplayNameLength)
        {
            return Error.Validation("user.display-name", $"A display name has at most {MaxDisplayNameLength} characters.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<NovaCronUser>>();
        var db = scope.ServiceProvider.GetRequiredService<NovaCronDbContext>();
        if (request.GlobalRoleId is { } roleId && !await db.AccessRoles.AnyAsync(r => r.Id == new RoleId(roleId), cancellationToken))
        {
            return Error.Validation("role.unknown", $"No role with id {roleId}.");
        }

        var now = clock.GetUtcNow();
        var user = new NovaCronUser
        {
            Id = Guid.CreateVersion7(),
            UserName = request.UserName.Trim(),
            DisplayName = (request.DisplayName ?? string.Empty).Trim(),
            GlobalRoleId = request.GlobalRoleId,
            CreatedAt = now,
        };
        await audit.RecordAsync(db, actor, "user.create", "user", user.Id.ToString(), user.UserName, null, AuditResult.Succeeded, GlobalRoleDetail(request.GlobalRoleId), cancellationToken);
        var created = await users.CreateAsync(user, request.Password ?? string.Empty);
        if (!created.Succeeded)
        {
            return IdentityErrors.ToError(created, "user.invalid");
        }

        return (await UserQueries.ViewsAsync(db, user.Id, now, cancellationToken))[0];
    }

    private static string? GlobalRoleDetail(Guid? roleId) => roleId is { } id ? $"global role {id}" : null;
}
