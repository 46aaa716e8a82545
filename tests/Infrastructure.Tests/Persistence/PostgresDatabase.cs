using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Infrastructure.Tests.Identity;

namespace NovaCron.Infrastructure.Tests.Persistence;

/// <summary>A uniquely named PostgreSQL database, created, migrated and dropped around one test class.
/// An unreachable server fails the tests (it never skips them): CI starts it with <c>scripts/start-postgres.sh</c>.</summary>
public sealed class PostgresDatabase : IDatabaseFixture, IAsyncLifetime
{
    public const string EnvironmentVariable = "NOVACRON_TEST_POSTGRES";

    private const string DefaultAdminConnectionString = "Host=127.0.0.1;Username=novacron;Password=novacron-test;Database=postgres";

    private readonly string _adminConnectionString =
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured ? configured : DefaultAdminConnectionString;

    private readonly string _databaseName = $"novacron_test_{Guid.NewGuid():N}";
    private ServiceProvider? _services;

    public IServiceProvider Services => _services!;

    public NovaCronDbContext CreateContext() =>
        _services!.GetRequiredService<IDbContextFactory<NovaCronDbContext>>().CreateDbContext();

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        try
        {
            await using var admin = new NpgsqlConnection(_adminConnectionString);
            await admin.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_databaseName}\"", admin);
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable at '{Redacted()}' (start it with scripts/start-postgres.sh, " +
                $"or point {EnvironmentVariable} at a server): {ex.Message}",
                ex);
        }

        var connectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = _databaseName }.ConnectionString;
        _services = new ServiceCollection()
            .AddNovaCronPersistence(new DatabaseOptions { Provider = DatabaseOptions.Postgres, ConnectionString = connectionString }, Path.GetTempPath())
            .AddNovaCronTestIdentity()
            .BuildServiceProvider();
        await _services.MigrateNovaCronDatabaseAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is null)
        {
            return;
        }

        await _services.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private string Redacted() => new NpgsqlConnectionStringBuilder(_adminConnectionString) { Password = null }.ConnectionString;
}
