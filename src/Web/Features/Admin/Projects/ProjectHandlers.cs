using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Projects;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Features.Audit;

namespace NovaCron.Web.Features.Admin.Projects;

/// <summary>Creates a project (<see cref="Permissions.UserManage"/>).</summary>
public sealed class CreateProjectHandler(IDbContextFactory<NovaCronDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    public async Task<Result<ProjectView>> HandleAsync(CreateProjectRequest request, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Access.Can(Permissions.UserManage))
        {
            var denied = Error.MissingPermission(Permissions.UserManage, "to create projects");
            await audit.RecordRefusalAsync(actor, "project.create", "project", null, request.Name, null, denied, cancellationToken);
            return denied;
        }

        var created = Project.Create(request.Name, request.Description ?? string.Empty, request.Quota ?? Quota.Unlimited, clock.GetUtcNow());
        if (!created.IsSuccess)
        {
            return created.Error!;
        }

        var project = created.Value!;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Projects.AnyAsync(p => p.Name == project.Name, cancellationToken))
        {
            return ProjectErrors.NameTaken(project.Name);
        }

        db.Projects.Add(project);
        await audit.RecordAsync(db, actor, "project.create", "project", project.Id.ToString(), project.Name, project.Id.Value, AuditResult.Succeeded, ProjectErrors.Describe(project.Quota), cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return ProjectErrors.NameTaken(project.Name);
        }

        return (await ProjectQueries.ViewsAsync(db, [project.Id], cancellationToken))[0];
    }
}

/// <summary>Changes a project's description and quota (<see cref="Permissions.UserManage"/>). A quota lower than the
/// current usage is allowed: it stops new VMs, it does not remove existing ones.</summary>
public sealed class UpdateProjectHandler(IDbContextFactory<NovaCronDbContext> dbFactory, AuditLog audit)
{
    public async Task<Result<ProjectView>> HandleAsync(Guid projectId, UpdateProjectRequest request, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Access.Can(Permissions.UserManage))
        {
            var denied = Error.MissingPermission(Permissions.UserManage, "to change projects and quotas");
            await audit.RecordRefusalAsync(actor, "project.update", "project", projectId.ToString(), null, projectId, denied, cancellationToken);
            return denied;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == new ProjectId(projectId), cancellationToken);
        if (project is null)
        {
            return ProjectErrors.NotFound(projectId);
        }

        var quota = project.SetQuota(request.Quota);
        if (!quota.IsSuccess)
        {
            return quota.Error!;
        }

        var described = project.Describe(request.Description ?? string.Empty);
        if (!described.IsSuccess)
        {
            return described.Error!;
        }
        await audit.RecordAsync(db, actor, "project.update", "project", project.Id.ToString(), project.Name, projectId, AuditResult.Succeeded, ProjectErrors.Describe(project.Quota), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return (await ProjectQueries.ViewsAsync(db, [project.Id], cancellationToken))[0];
    }
}

/// <summary>Deletes an empty project (<see cref="Permissions.UserManage"/>) with its memberships. The default project
/// stays: VMs made without a project go there.</summary>
public sealed class DeleteProjectHandler(IDbContextFactory<NovaCronDbContext> dbFactory, AuditLog audit)
{
    public async Task<Result<ProjectView>> HandleAsync(Guid projectId, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Access.Can(Permissions.UserManage))
        {
            var denied = Error.MissingPermission(Permissions.UserManage, "to delete projects");
            await audit.RecordRefusalAsync(actor, "project.delete", "project", projectId.ToString(), null, projectId, denied, cancellationToken);
            return denied;
        }

        var id = new ProjectId(projectId);
        if (id == ProjectId.Default)
        {
            return Error.Conflict("project.default", "The default project cannot be deleted.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var project = await db.Projects.SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (project is null)
        {
            return ProjectErrors.NotFound(projectId);
        }

        var vms = await db.Vms.CountAsync(v => v.ProjectId == id && v.State != VmState.Deleted, cancellationToken);
        if (vms > 0)
        {
            return Error.Conflict("project.not-empty", $"Project '{project.Name}' still has {vms} VM(s); delete or move them first.");
        }

        var view = (await ProjectQueries.ViewsAsync(db, [id], cancellationToken))[0];
        db.Memberships.RemoveRange(await db.Memberships.Where(m => m.ProjectId == id).ToListAsync(cancellationToken));
        db.Projects.Remove(project);
        await audit.RecordAsync(db, actor, "project.delete", "project", project.Id.ToString(), project.Name, projectId, AuditResult.Succeeded, null, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return view;
    }
}

internal static class ProjectErrors
{
    public static Error NotFound(Guid id) => Error.NotFound("project.not-found", $"No project with id {id}.");

    public static Error NameTaken(string name) => Error.Conflict("project.name-taken", $"A project named '{name}' already exists.");

    public static string Describe(Quota quota) =>
        $"quota: VMs {Limit(quota.MaxVms)}, vCPUs {Limit(quota.MaxVCpus)}, memory {Limit(quota.MaxMemoryMiB)} MiB, disk {Limit(quota.MaxDiskGiB)} GiB";

    private static string Limit<T>(T? value)
        where T : struct => value?.ToString() ?? "unlimited";
}
