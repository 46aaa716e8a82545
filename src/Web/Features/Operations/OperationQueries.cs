using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Operations;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Features.Vms.Queries;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Features.Operations;

/// <summary>Filters for listing operations, newest first.</summary>
public sealed record OperationFilter(Guid? VmId = null, OperationStatus? Status = null, int Offset = 0, int Limit = 50);

/// <summary>Read side of the task log.</summary>
public sealed class OperationQueries(IDbContextFactory<NovaCronDbContext> dbFactory)
{
    public async Task<Result<Page<OperationView>>> ListAsync(OperationFilter filter, UserAccess access, CancellationToken cancellationToken)
    {
        if (filter.Offset < 0 || filter.Limit is < 1 or > 500)
        {
            return Error.Validation("paging.invalid", "offset must be 0 or more and limit between 1 and 500.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Operations.AsNoTracking();
        if (access.ProjectsWith(Permissions.VmRead) is { } visible)
        {
            var projects = visible.Cast<Domain.Projects.ProjectId?>().ToList();
            query = query.Where(o => projects.Contains(o.ProjectId));
        }

        if (filter.VmId is { } vm)
        {
            query = query.Where(o => o.VmId == new VmId(vm));
        }

        if (filter.Status is { } status)
        {
            query = query.Where(o => o.Status == status);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(o => o.QueuedAt).Skip(filter.Offset).Take(filter.Limit).ToListAsync(cancellationToken);
        return new Page<OperationView>([.. items.Select(OperationView.From)], total, filter.Offset, filter.Limit);
    }

    public async Task<Result<OperationDetail>> GetAsync(Guid id, UserAccess access, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var operation = await db.Operations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == new OperationId(id), cancellationToken);
        return operation is null || !CanSee(access, operation)
            ? Error.NotFound("operation.not-found", $"No operation with id {id}.")
            : new OperationDetail(OperationView.From(operation), operation.Log);
    }

    /// <summary>Operations of a project are visible to its readers; operations without a project (node-level) to node readers.</summary>
    public static bool CanSee(UserAccess access, OperationView operation) =>
        operation.ProjectId is { } project ? access.Can(Permissions.VmRead, new Domain.Projects.ProjectId(project)) : access.Can(Permissions.NodeRead);

    private static bool CanSee(UserAccess access, Operation operation) => CanSee(access, OperationView.From(operation));
}
