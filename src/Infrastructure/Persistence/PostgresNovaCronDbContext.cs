using Microsoft.EntityFrameworkCore;

namespace NovaCron.Infrastructure.Persistence;

/// <summary>The PostgreSQL flavour of <see cref="NovaCronDbContext"/>; migrations live in <c>Persistence/Migrations/Postgres</c>.
/// <see cref="DateTimeOffset"/> maps to <c>timestamptz</c>, which accepts UTC values only (offset zero).</summary>
public sealed class PostgresNovaCronDbContext(DbContextOptions<PostgresNovaCronDbContext> options) : NovaCronDbContext(options);
