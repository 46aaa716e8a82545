using Microsoft.EntityFrameworkCore;

namespace NovaCron.Infrastructure.Persistence;

/// <summary>Hands out the configured provider's context as the provider-neutral <see cref="NovaCronDbContext"/>.</summary>
internal sealed class ProviderDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<NovaCronDbContext>
    where TContext : NovaCronDbContext
{
    public NovaCronDbContext CreateDbContext() => inner.CreateDbContext();

    public async Task<NovaCronDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
