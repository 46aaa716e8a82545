using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Projects;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Features.Vms.Queries;

/// <summary>A page of results with the total count before paging.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int Offset, int Limit);

/// <summary>Filters for listing VMs. Deleted VMs are left out unless asked for by state.</summary>
public sealed record VmFilter(VmState? State = null, Guid? NodeId = null, string? NameContains = null, string? Tag = null, int Offset = 0, int Limit = 50)
{
    public const int MaxLimit = 500;
}

/// <summary>Read side of VMs, shared by the REST API and the Blazor pages.</summary>
public sealed class VmQueries(IDbContextFactory<NovaCronDbContext> dbFactory)
{
    public async Task<Result<Page<VmView>>> ListAsync(VmFilter filter, UserAccess access, CancellationToken cancellationToken)
    {
        if (filter.Offset < 0)
        {
            return Error.Validation("paging.offset", $"offset must be 0 or more; got {filter.Offset}.");
        }

        if (filter.Limit is < 1 or > VmFilter.MaxLimit)
        {
            return Error.Validation("paging.limit", $"limit must be between 1 and {VmFilter.MaxLimit}; got {filter.Limit}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Vms.AsNoTracking();
        if (access.ProjectsWith(Permissions.VmRead) is { } visible)
        {
            var projects = visible.ToList();
            query = query.Where(v => projects.Contains(v.ProjectId));
        }

        query = filter.State is { } state ? query.Where(v => v.State == state) : query.Where(v => v.State != VmState.Deleted);
        if (filter.NodeId is { } node)
        {
            query = query.Where(v => v.NodeId == new NodeId(node));
        }

        if (!string.IsNullOrWhiteSpace(filter.NameContains))
        {
            query = query.Where(v => v.Name.Contains(filter.NameContains));
        }

        var vms = await query.OrderBy(v => v.Name).ToListAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(filter.Tag))
        {
            vms = [.. vms.Where(v => v.Spec.Tags.Contains(filter.Tag, StringComparer.Ordinal))];
        }

        var images = await db.Images.AsNoTracking().ToDictionaryAsync(i => i.Id, i => i.Name, cancellationToken);
        var nodes = await db.Nodes.AsNoTracking().ToDictionaryAsync(n => n.Id, n => n.Name, cancellationToken);
        var projectNames = await db.Projects.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var page = vms.Skip(filter.Offset).Take(filter.Limit)
            .Select(v => VmView.From(v, images.GetValueOrDefault(v.Spec.ImageId, "(deleted image)"), v.NodeId is { } n ? nodes.GetValueOrDefault(n) : null, projectNames.GetValueOrDefault(v.ProjectId, "(deleted project)")))
            .ToList();
        return new Page<VmView>(page, vms.Count, filter.Offset, filter.Limit);
    }

    public async Task<Result<VmDetail>> GetAsync(Guid id, UserAccess access, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var vm = await db.Vms.AsNoTracking().WithHistory().SingleOrDefaultAsync(v => v.Id == new VmId(id), cancellationToken);
        if (vm is null || !access.Can(Permissions.VmRead, vm.ProjectId))
        {
            return Error.NotFound("vm.not-found", $"No VM with id {id}.");
        }

        return new VmDetail(await VmCommands.ToViewAsync(db, vm, cancellationToken), vm.History);
    }
}
