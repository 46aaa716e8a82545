namespace NovaCron.Infrastructure.Persistence;

/// <summary>Which database the control plane uses. Bound from the <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public const string Sqlite = "sqlite";

    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>Required for PostgreSQL; for SQLite it defaults to <c>novacron.db</c> in the data directory.</summary>
    public string? ConnectionString { get; set; }

    public bool IsSqlite => string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase);

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    /// <summary>Every problem with these settings, each naming the setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!IsSqlite && !IsPostgres)
        {
            errors.Add($"{SectionName}:{nameof(Provider)} must be '{Sqlite}' or '{Postgres}'; got '{Provider}'.");
        }

        if (IsPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add($"{SectionName}:{nameof(ConnectionString)} is required when {SectionName}:{nameof(Provider)} is '{Postgres}'.");
        }

        return errors;
    }
}
