using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace NovaCron.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef</c> build the SQLite context from this class library; the connection is never opened to add a migration.</summary>
public sealed class SqliteNovaCronDbContextDesignTimeFactory : IDesignTimeDbContextFactory<SqliteNovaCronDbContext>
{
    public SqliteNovaCronDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteNovaCronDbContext>().UseSqlite("Data Source=novacron-design.db").Options);
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL context from this class library; the connection is never opened to add a migration.</summary>
public sealed class PostgresNovaCronDbContextDesignTimeFactory : IDesignTimeDbContextFactory<PostgresNovaCronDbContext>
{
    public PostgresNovaCronDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresNovaCronDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=novacron;Username=novacron")
            .Options);
}
