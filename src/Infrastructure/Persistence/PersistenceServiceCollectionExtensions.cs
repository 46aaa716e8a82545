using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NovaCron.Infrastructure.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IDbContextFactory{TContext}"/> of <see cref="NovaCronDbContext"/> (pooled, singleton)
    /// for the configured provider, a scoped <see cref="NovaCronDbContext"/> made by it for request handlers, and the
    /// <see cref="AccessChangeSignal"/> its saves drive.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The <c>Database</c> settings; invalid settings throw, naming the setting.</param>
    /// <param name="dataDirectory">The data root; the default SQLite database is <c>novacron.db</c> in it.</param>
    public static IServiceCollection AddNovaCronPersistence(this IServiceCollection services, DatabaseOptions options, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(DatabaseOptions.SectionName, typeof(DatabaseOptions), errors);
        }

        var accessChanges = new AccessChangeSignal();
        services.AddSingleton(accessChanges);
        if (options.IsSqlite)
        {
            var connectionString = SqliteConnectionString(options.ConnectionString, dataDirectory);
            var setup = new SqliteConnectionSetup();
            services.AddPooledDbContextFactory<SqliteNovaCronDbContext>(builder => builder
                .UseSqlite(connectionString)
                .AddInterceptors(setup, accessChanges, accessChanges.Transactions));
            services.AddSingleton<IDbContextFactory<NovaCronDbContext>>(sp =>
                new ProviderDbContextFactory<SqliteNovaCronDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteNovaCronDbContext>>()));
        }
        else
        {
            services.AddPooledDbContextFactory<PostgresNovaCronDbContext>(builder => builder.UseNpgsql(options.ConnectionString).AddInterceptors(accessChanges, accessChanges.Transactions));
            services.AddSingleton<IDbContextFactory<NovaCronDbContext>>(sp =>
                new ProviderDbContextFactory<PostgresNovaCronDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresNovaCronDbContext>>()));
        }

        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<NovaCronDbContext>>().CreateDbContext());
        return services;
    }

    /// <summary>Applies pending migrations of the configured provider; call once at start, before serving.</summary>
    public static async Task MigrateNovaCronDatabaseAsync(this IServiceProvider services, CancellationToken ct)
    {
        var factory = services.GetRequiredService<IDbContextFactory<NovaCronDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        var isSqlite = db.Database.IsSqlite();
        if (isSqlite)
        {
            EnsureSqliteDirectory(db.Database.GetConnectionString());
        }

        await db.Database.MigrateAsync(ct);

        if (isSqlite)
        {
            // Persistent in the database file: readers no longer block the writer, nor it them.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", ct);
        }
    }

    internal static string SqliteConnectionString(string? configured, string dataDirectory)
    {
        var builder = string.IsNullOrWhiteSpace(configured)
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDirectory, "novacron.db") }
            : new SqliteConnectionStringBuilder(configured);
        return builder.ToString();
    }

    private static void EnsureSqliteDirectory(string? connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:")
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
