using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NovaCron.Infrastructure.Persistence;

namespace NovaCron.Infrastructure.Tests.Persistence;

public sealed class PersistenceRegistrationTests
{
    [Fact]
    public void AddNovaCronPersistence_UnknownProvider_ThrowsNamingTheSetting()
    {
        var options = new DatabaseOptions { Provider = "mysql" };

        var ex = Assert.Throws<OptionsValidationException>(() => new ServiceCollection().AddNovaCronPersistence(options, "/tmp"));

        Assert.Contains("Database:Provider", ex.Message, StringComparison.Ordinal);
        Assert.Contains("mysql", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddNovaCronPersistence_PostgresWithoutConnectionString_ThrowsNamingTheSetting()
    {
        var options = new DatabaseOptions { Provider = "postgres" };

        var ex = Assert.Throws<OptionsValidationException>(() => new ServiceCollection().AddNovaCronPersistence(options, "/tmp"));

        Assert.Contains("Database:ConnectionString", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddNovaCronPersistence_SqliteWithoutConnectionString_UsesDatabaseInDataDirectory()
    {
        using var services = new ServiceCollection()
            .AddNovaCronPersistence(new DatabaseOptions(), "/var/lib/novacron")
            .BuildServiceProvider();

        using var db = services.GetRequiredService<IDbContextFactory<NovaCronDbContext>>().CreateDbContext();

        Assert.IsType<SqliteNovaCronDbContext>(db);
        Assert.Equal("/var/lib/novacron/novacron.db", new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource);
    }

    [Fact]
    public void AddNovaCronPersistence_Postgres_FactoryMakesPostgresContext()
    {
        var options = new DatabaseOptions { Provider = "Postgres", ConnectionString = "Host=127.0.0.1;Database=x;Username=y" };
        using var services = new ServiceCollection().AddNovaCronPersistence(options, "/tmp").BuildServiceProvider();

        using var db = services.GetRequiredService<IDbContextFactory<NovaCronDbContext>>().CreateDbContext();

        Assert.IsType<PostgresNovaCronDbContext>(db);
    }

    [Fact]
    public async Task MigrateNovaCronDatabaseAsync_Sqlite_CreatesDirectoryAndUsesWal()
    {
        await using var database = new SqliteDatabase();
        await database.InitializeAsync();

        await using var db = database.CreateContext();
        var journalMode = await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS \"Value\" FROM pragma_journal_mode").SingleAsync(TestContext.Current.CancellationToken);
        var busyTimeout = await db.Database.SqlQueryRaw<int>("SELECT timeout AS \"Value\" FROM pragma_busy_timeout").SingleAsync(TestContext.Current.CancellationToken);

        Assert.True(File.Exists(Path.Combine(database.DataDirectory, "novacron.db")));
        Assert.Equal("wal", journalMode);
        Assert.Equal(5000, busyTimeout);
    }
}
