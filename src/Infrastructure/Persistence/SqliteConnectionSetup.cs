using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace NovaCron.Infrastructure.Persistence;

/// <summary>Makes every SQLite connection wait for a lock instead of failing at once with "database is locked",
/// which happens as soon as the web host, jobs and the reconciler write concurrently.
/// WAL, which lets readers run beside the writer, is a property of the file and is switched on at migration.</summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
