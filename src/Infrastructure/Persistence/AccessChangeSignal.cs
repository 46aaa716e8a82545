using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Projects;
using NovaCron.Infrastructure.Identity;

namespace NovaCron.Infrastructure.Persistence;

/// <summary>Counts saves that change what decides access: users, roles, memberships, projects and API tokens. Caches of
/// resolved access keep the generation they were filled at and drop an entry once it moved. The count moves before the
/// save and again after it, so an entry read from the database while the change commits is dropped as well.
/// One control-plane process (docs/adr/0003) makes an in-memory signal enough. A save inside an explicit transaction
/// counts once that transaction commits (see <see cref="Transactions"/>): whoever reacts to <see cref="Changed"/> must
/// read the new state, not the old one the uncommitted transaction still hides.</summary>
public sealed class AccessChangeSignal : SaveChangesInterceptor
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<DbContext, bool> _awaitingCommit = new();
    private long _generation;

    public AccessChangeSignal() => Transactions = new TransactionWatcher(this);

    /// <summary>Register beside this interceptor: it completes the changes saved inside explicit transactions.</summary>
    public IInterceptor Transactions { get; }

    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Raised after a save that touched access data has committed or failed; handlers must be quick and must
    /// not throw (they run on the saving thread).</summary>
    public event Action? Changed;

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Begin(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Begin(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    private void Begin(DbContext? context)
    {
        if (context is null || !ChangesAccess(context))
        {
            return;
        }

        Interlocked.Increment(ref _generation);
        context.SavedChanges += BumpAfterSave;
        context.SaveChangesFailed += BumpAfterFailure;
    }

    private void BumpAfterSave(object? sender, SavedChangesEventArgs e) => Done(sender);

    private void BumpAfterFailure(object? sender, SaveChangesFailedEventArgs e) => Done(sender);

    private void Done(object? sender)
    {
        Interlocked.Increment(ref _generation);
        if (sender is DbContext context)
        {
            context.SavedChanges -= BumpAfterSave;
            context.SaveChangesFailed -= BumpAfterFailure;
            if (context.Database.CurrentTransaction is not null)
            {
                _awaitingCommit[context] = true;
                return;
            }
        }

        Changed?.Invoke();
    }

    private void TransactionEnded(DbContext? context)
    {
        if (context is not null && _awaitingCommit.TryRemove(context, out _))
        {
            Interlocked.Increment(ref _generation);
            Changed?.Invoke();
        }
    }

    private sealed class TransactionWatcher(AccessChangeSignal signal) : DbTransactionInterceptor
    {
        public override void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => signal.TransactionEnded(eventData.Context);

        public override Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            signal.TransactionEnded(eventData.Context);
            return Task.CompletedTask;
        }

        public override void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => signal.TransactionEnded(eventData.Context);

        public override Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            signal.TransactionEnded(eventData.Context);
            return Task.CompletedTask;
        }
    }

    private static bool ChangesAccess(DbContext context) =>
        context.ChangeTracker.Entries().Any(e =>
            e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
            && e.Entity is NovaCronUser or Role or ProjectMembership or Project or ApiToken
                or Microsoft.AspNetCore.Identity.IdentityUserRole<Guid> or Microsoft.AspNetCore.Identity.IdentityUserClaim<Guid>
            && !OnlyMarksTokenUse(e));

    /// <summary>Noting when a token was last used (at most once a minute per token) grants or takes away nothing.</summary>
    private static bool OnlyMarksTokenUse(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry) =>
        entry is { Entity: ApiToken, State: EntityState.Modified }
        && entry.Properties.Where(p => p.IsModified).All(p => p.Metadata.Name == nameof(ApiToken.LastUsedAt));
}
