using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Features.Vms.Queries;

namespace NovaCron.Web.Features.Audit;

/// <summary>One audit record as read and exported.</summary>
public sealed record AuditView(
    Guid Id,
    DateTimeOffset At,
    string Actor,
    Guid? ActorUserId,
    Guid? ProjectId,
    string Action,
    string TargetType,
    string? TargetId,
    string? TargetName,
    string Source,
    AuditResult Result,
    string? Detail)
{
    public static AuditView From(AuditRecord r) =>
        new(r.Id, r.At, r.Actor, r.ActorUserId, r.ProjectId, r.Action, r.TargetType, r.TargetId, r.TargetName, r.Source, r.Result, r.Detail);
}

/// <summary>Filters of the audit log, newest first. Text filters match a part of the field; <see cref="Target"/>
/// matches the target's type, id or name.</summary>
public sealed record AuditFilter(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Actor = null,
    string? Action = null,
    string? Target = null,
    Guid? ProjectId = null,
    AuditResult? Result = null,
    int Offset = 0,
    int Limit = 50)
{
    public const int MaxLimit = 500;

    /// <summary>Most records one export returns; narrow the time range for more.</summary>
    public const int MaxExport = 100_000;
}

/// <summary>Read side of the audit log (<see cref="Permissions.AuditRead"/>).</summary>
public sealed class AuditQueries(IDbContextFactory<NovaCronDbContext> dbFactory)
{
    public async Task<Result<Page<AuditView>>> ListAsync(AuditFilter filter, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Access.Can(Permissions.AuditRead))
        {
            return Error.MissingPermission(Permissions.AuditRead, "to read the audit log");
        }

        if (filter.Offset < 0 || filter.Limit is < 1 or > AuditFilter.MaxLimit)
        {
            return Error.Validation("paging.invalid", $"offset must be 0 or more and limit between 1 and {AuditFilter.MaxLimit}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = Filtered(db, filter);
        var total = await query.CountAsync(cancellationToken);
        var items = await query.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Skip(filter.Offset).Take(filter.Limit).ToListAsync(cancellationToken);
        return new Page<AuditView>([.. items.Select(AuditView.From)], total, filter.Offset, filter.Limit);
    }

    /// <summary>Every record matching the filter (paging ignored), newest first, up to <see cref="AuditFilter.MaxExport"/>.</summary>
    public async Task<Result<IReadOnlyList<AuditView>>> ExportAsync(AuditFilter filter, Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Access.Can(Permissions.AuditRead))
        {
            return Error.MissingPermission(Permissions.AuditRead, "to export the audit log");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var items = await Filtered(db, filter).OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Take(AuditFilter.MaxExport).ToListAsync(cancellationToken);
        return items.Select(AuditView.From).ToList();
    }

    /// <summary>Project ids and names, for the project filter (auditors may see no project otherwise).</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> ProjectNamesAsync(Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.Access.Can(Permissions.AuditRead))
        {
            return [];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var projects = await db.Projects.AsNoTracking().OrderBy(p => p.Name).Select(p => new { p.Id, p.Name }).ToListAsync(cancellationToken);
        return [.. projects.Select(p => (p.Id.Value, p.Name))];
    }

    private static IQueryable<AuditRecord> Filtered(NovaCronDbContext db, AuditFilter filter)
    {
        var query = db.AuditRecords.AsNoTracking();
        if (filter.From is { } from)
        {
            query = query.Where(r => r.At >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(r => r.At <= to);
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            query = query.Where(r => r.Actor.Contains(filter.Actor));
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            query = query.Where(r => r.Action.Contains(filter.Action));
        }

        if (!string.IsNullOrWhiteSpace(filter.Target))
        {
            var target = filter.Target;
            query = query.Where(r => r.TargetType.Contains(target) || (r.TargetId != null && r.TargetId.Contains(target)) || (r.TargetName != null && r.TargetName.Contains(target)));
        }

        if (filter.ProjectId is { } project)
        {
            query = query.Where(r => r.ProjectId == project);
        }

        if (filter.Result is { } result)
        {
            query = query.Where(r => r.Result == result);
        }

        return query;
    }
}
