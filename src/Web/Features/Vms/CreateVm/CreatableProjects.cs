using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Projects;
using NovaCron.Infrastructure.Persistence;

namespace NovaCron.Web.Features.Vms.CreateVm;

/// <summary>A project a caller may create VMs in, as the create dialog offers it.</summary>
public sealed record ProjectChoice(Guid Id, string Name);

/// <summary>The projects where a caller holds <see cref="Permissions.VmCreate"/>, and the one a create that names no
/// project goes to. The create dialog and <see cref="CreateVmHandler"/> both ask here, so the dialog offers exactly
/// the projects the handler accepts and preselects the one the API would choose.</summary>
public sealed class CreatableProjects(IDbContextFactory<NovaCronDbContext> dbFactory)
{
    /// <summary>The projects <paramref name="actor"/> may create VMs in, by name, with the one to preselect
    /// (null when the caller has to choose).</summary>
    public async Task<(IReadOnlyList<ProjectChoice> Projects, Guid? Preselected)> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projects = await ForAsync(db, actor.Access, cancellationToken);
        var preselected = Implicit(projects);
        return ([.. projects.Select(p => new ProjectChoice(p.Id.Value, p.Name))], preselected.Value?.Id.Value);
    }

    /// <summary>The projects where <paramref name="access"/> holds <see cref="Permissions.VmCreate"/>, ordered by name.</summary>
    internal static async Task<List<Project>> ForAsync(NovaCronDbContext db, UserAccess access, CancellationToken cancellationToken)
    {
        var only = access.ProjectsWith(Permissions.VmCreate)?.ToList();
        var query = only is null ? db.Projects : db.Projects.Where(p => only.Contains(p.Id));
        var projects = await query.ToListAsync(cancellationToken);
        return [.. projects.OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    /// <summary>Where a create that names no project goes: the only project the caller may create VMs in, else the
    /// default project when the caller may create VMs there; otherwise the caller has to name one, and the refusal
    /// lists those it may use.</summary>
    internal static Result<Project> Implicit(IReadOnlyList<Project> creatable)
    {
        if (creatable.Count == 1)
        {
            return creatable[0];
        }

        if (creatable.FirstOrDefault(p => p.Id == ProjectId.Default) is { } defaultProject)
        {
            return defaultProject;
        }

        if (creatable.Count == 0)
        {
            return Error.MissingPermission(Permissions.VmCreate, "in any project");
        }

        var names = string.Join(", ", creatable.Select(p => $"'{p.Name}'"));
        return Error.Validation("project.required", $"Name the project to create the VM in; you may create VMs in {names}.");
    }
}
