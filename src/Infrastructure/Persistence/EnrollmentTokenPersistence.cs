using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Nodes;

namespace NovaCron.Infrastructure.Persistence;

/// <summary>Consuming an enrollment token, which must hold when two agents present the same token at once.</summary>
public static class EnrollmentTokenPersistence
{
    /// <summary>Marks the token used by <paramref name="nodeName"/> in one conditional <c>UPDATE</c> and tells whether
    /// it did. The condition repeats <see cref="EnrollmentToken.CheckRedeemable"/>: of racing enrollments with a
    /// single-use token exactly one updates a row (PostgreSQL re-reads the row after the first writer commits; SQLite
    /// has one writer at a time), the others see 0 rows. Run it in the transaction that issues the credential, so a
    /// failed enrollment leaves the token unused.</summary>
    public static async Task<bool> TryConsumeAsync(this DbSet<EnrollmentToken> tokens, Guid id, string nodeName, DateTimeOffset now, CancellationToken cancellationToken) =>
        await tokens
            .Where(t => t.Id == id && t.RevokedAt == null && t.ExpiresAt > now && (!t.SingleUse || t.UsedAt == null))
            .ExecuteUpdateAsync(set => set.SetProperty(t => t.UsedAt, now).SetProperty(t => t.UsedByNode, nodeName), cancellationToken) == 1;
}
