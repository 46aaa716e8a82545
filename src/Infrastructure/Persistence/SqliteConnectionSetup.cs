using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace NovaCron.Infrastructure.Persistence;

/// <summary>Makes every SQLite connection wait for a lock instead of failing at once with "database is locked",
/// which happens as soon as the web host, jobs and the reconciler write concurrently.
/// WAL, which lets readers run beside the writer, is a property of the file and is switched on at migration.
/// With WAL, <c>synchronous = NORMAL</c> syncs at checkpoints instead of every commit: a crash of NovaCron loses nothing
/// and the file is never corrupted; only a power cut or OS crash can lose the last commits, which the agents' inventory
/// on reconnect reconciles. It takes a state report from several milliseconds to well under one.</summary>
internal sealed class SqliteConnectionSetup : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;";

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
