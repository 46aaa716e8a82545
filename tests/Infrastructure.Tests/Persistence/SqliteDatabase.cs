using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Infrastructure.Tests.Identity;

namespace NovaCron.Infrastructure.Tests.Persistence;

/// <summary>A SQLite database in a temporary directory, wired and migrated exactly as the application does it.</summary>
public sealed class SqliteDatabase : IDatabaseFixture, IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "novacron-tests", Guid.NewGuid().ToString("N"));
    private ServiceProvider? _services;

    public string DataDirectory => _directory;

    public IServiceProvider Services => _services!;

    public NovaCronDbContext CreateContext() =>
        _services!.GetRequiredService<IDbContextFactory<NovaCronDbContext>>().CreateDbContext();

    public async ValueTask InitializeAsync()
    {
        _services = new ServiceCollection()
            .AddNovaCronPersistence(new DatabaseOptions { Provider = DatabaseOptions.Sqlite }, _directory)
            .AddNovaCronTestIdentity()
            .BuildServiceProvider();
        await _services.MigrateNovaCronDatabaseAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
