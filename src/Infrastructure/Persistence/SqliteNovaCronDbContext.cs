using Microsoft.EntityFrameworkCore;
using NovaCron.Infrastructure.Persistence.Conversions;

namespace NovaCron.Infrastructure.Persistence;

/// <summary>The SQLite flavour of <see cref="NovaCronDbContext"/>; migrations live in <c>Persistence/Migrations/Sqlite</c>.</summary>
public sealed class SqliteNovaCronDbContext(DbContextOptions<SqliteNovaCronDbContext> options) : NovaCronDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);

        // SQLite has no DateTimeOffset type: the provider stores text that it cannot ORDER BY or compare.
        // UTC ticks keep full precision and make ordering and range filters plain integer comparisons.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }
}
