using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Features.Audit;

namespace NovaCron.Web.Features.Admin.Roles;

/// <summary>Creates a custom role from the permission catalogue (<see cref="Permissions.UserManage"/>).</summary>
public sealed class CreateRoleHandler(IDbContextFactory<NovaCronDbContext> dbFactory, AuditLog audit)
{
    public async Task<Result<RoleView>> HandleAsync(CreateRoleRequest request, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Access.Can(Permissions.UserManage))
        {
            var denied = Error.MissingPermission(Permissions.UserManage, "to create roles");
            await audit.RecordRefusalAsync(actor, "role.create", "role", null, request.Name, null, denied, cancellationToken);
            return denied;
        }

        var created = Role.CreateCustom(request.Name, request.Description ?? string.Empty, request.Permissions ?? []);
        if (!created.IsSuccess)
        {
            return created.Error!;
        }

        var role = created.Value!;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.AccessRoles.AnyAsync(r => r.Name == role.Name, cancellationToken))
        {
            return RoleErrors.NameTaken(role.Name);
        }

        db.AccessRoles.Add(role);
        await audit.RecordAsync(db, actor, "role.create", "role", role.Id.ToString(), role.Name, null, AuditResult.Succeeded, string.Join(' ', role.Permissions), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return RoleErrors.NameTaken(role.Name);
        }

        return (await RoleQueries.ViewsAsync(db, role.Id, cancellationToken))[0];
    }
}

/// <summary>Replaces the permissions of a custom role (<see cref="Permissions.UserManage"/>); built-in roles refuse.</summary>
public sealed class SetRolePermissionsHandler(IDbContextFactory<NovaCronDbContext> dbFactory, AuditLog audit)
{
    public async Task<Result<RoleView>> HandleAsync(Guid roleId, SetRolePermissionsRequest request, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Access.Can(Permissions.UserManage))
        {
            var denied = Error.MissingPermission(Permissions.UserManage, "to change roles");
            await audit.RecordRefusalAsync(actor, "role.update", "role", roleId.ToString(), null, null, denied, cancellationToken);
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var role = await db.AccessRoles.SingleOrDefaultAsync(r => r.Id == new RoleId(roleId), cancellationToken);
        if (role is null)
        {
            return RoleErrors.NotFound(roleId);
        }

        var set = role.SetPermissions(request.Permissions ?? []);
        if (!set.IsSuccess)
        {
            return set.Error!;
        }

        await audit.RecordAsync(db, actor, "role.update", "role", role.Id.ToString(), role.Name, null, AuditResult.Succeeded, string.Join(' ', role.Permissions), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return (await RoleQueries.ViewsAsync(db, role.Id, cancellationToken))[0];
    }
}

/// <summary>Deletes a custom role nobody holds (<see cref="Permissions.UserManage"/>).</summary>
public sealed class DeleteRoleHandler(IDbContextFactory<NovaCronDbContext> dbFactory, AuditLog audit)
{
    public async Task<Result<RoleView>> HandleAsync(Guid roleId, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Access.Can(Permissions.UserManage))
        {
            var denied = Error.MissingPermission(Permissions.UserManage, "to delete roles");
            await audit.RecordRefusalAsync(actor, "role.delete", "role", roleId.ToString(), null, null, denied, cancellationToken);
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var id = new RoleId(roleId);
        var role = await db.AccessRoles.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (role is null)
        {
            return RoleErrors.NotFound(roleId);
        }

        if (role.IsBuiltIn)
        {
            return Error.Conflict("role.built-in", $"The built-in role '{role.Name}' cannot be deleted.");
        }

        var view = (await RoleQueries.ViewsAsync(db, id, cancellationToken))[0];
        if (view.UsedBy > 0)
        {
            var globalUsers = await db.Users.Where(u => u.GlobalRoleId == roleId).Select(u => u.UserName).Take(5).ToListAsync(cancellationToken);
            var members = await db.Memberships.CountAsync(m => m.RoleId == id, cancellationToken);
            var who = globalUsers.Count > 0 ? $" (global role of {string.Join(", ", globalUsers)})" : string.Empty;
            return Error.Conflict(
                "role.in-use",
                $"Role '{role.Name}' is still in use: {view.UsedBy - members} user(s) hold it globally{who} and {members} project membership(s) use it. Give them another role first.");
        }

        db.AccessRoles.Remove(role);
        await audit.RecordAsync(db, actor, "role.delete", "role", role.Id.ToString(), role.Name, null, AuditResult.Succeeded, null, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return view;
    }
}

internal static class RoleErrors
{
    public static Error NotFound(Guid id) => Error.NotFound("role.not-found", $"No role with id {id}.");

    public static Error NameTaken(string name) => Error.Conflict("role.name-taken", $"A role named '{name}' already exists.");
}
