using NovaCron.Domain.Audit;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Features.Audit;

/// <summary>Records who did what. A record is added to the caller's context so it commits in the same SaveChanges as
/// the change it describes; a refused request is recorded on its own with <see cref="RecordRefusalAsync"/>.</summary>
public sealed class AuditLog(TimeProvider clock, ClusterStateFeed feed, Microsoft.EntityFrameworkCore.IDbContextFactory<NovaCronDbContext> dbFactory)
{
    public Task RecordAsync(
        NovaCronDbContext db,
        Actor actor,
        string action,
        string targetType,
        string? targetId,
        string? targetName,
        Guid? projectId,
        AuditResult result,
        string? detail,
        CancellationToken ct)
    {
        if (CurrentScope.Value is { } scope)
        {
            scope.Recorded = true;
        }

        var record = AuditRecord.Create(clock.GetUtcNow(), actor.Name, actor.UserId, projectId, action, targetType, targetId, targetName, actor.Source, result, detail);
        db.AuditRecords.Add(record);
        db.SavedChanges += (_, _) => feed.Publish(new AuditRecorded(record.Id, record.At));
        return Task.CompletedTask;
    }

    private static readonly AsyncLocal<Scope?> CurrentScope = new();

    /// <summary>Notes whether anything in this request recorded an audit entry (see <see cref="AuditRefusalFilter"/>).</summary>
    public static Scope BeginScope() => CurrentScope.Value = new Scope();

    /// <summary>A request's audit bookkeeping; disposing it ends the scope.</summary>
    public sealed class Scope : IDisposable
    {
        public bool Recorded { get; set; }

        public void Dispose() => CurrentScope.Value = null;
    }

    /// <summary>Records a request that was refused or failed before anything changed, in its own transaction.</summary>
    public async Task RecordRefusalAsync(Actor actor, string action, string targetType, string? targetId, string? targetName, Guid? projectId, Domain.Common.Error error, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var result = error.Kind == Domain.Common.ErrorKind.Forbidden ? AuditResult.Denied : AuditResult.Failed;
        await RecordAsync(db, actor, action, targetType, targetId, targetName, projectId, result, error.Message, ct);
        await db.SaveChangesAsync(ct);
    }
}
