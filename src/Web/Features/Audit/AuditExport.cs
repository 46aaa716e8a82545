using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NovaCron.Web.Features.Audit;

/// <summary>Writes audit records as CSV (RFC 4180) or JSON. CSV cells that a spreadsheet would run as a formula
/// (starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return) get a leading single quote, because actor names,
/// target names and details come from users.</summary>
public static class AuditExport
{
    public static readonly string[] Columns =
        ["id", "at", "actor", "actor_user_id", "project_id", "action", "target_type", "target_id", "target_name", "source", "result", "detail"];

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string ToCsv(IEnumerable<AuditView> records)
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', Columns)).Append("\r\n");
        foreach (var r in records)
        {
            string?[] cells =
            [
                r.Id.ToString(),
                r.At.ToString("O", CultureInfo.InvariantCulture),
                r.Actor,
                r.ActorUserId?.ToString(),
                r.ProjectId?.ToString(),
                r.Action,
                r.TargetType,
                r.TargetId,
                r.TargetName,
                r.Source,
                r.Result.ToString(),
                r.Detail,
            ];
            csv.Append(string.Join(',', cells.Select(Cell))).Append("\r\n");
        }

        return csv.ToString();
    }

    public static string ToJson(IEnumerable<AuditView> records) => JsonSerializer.Serialize(records, JsonOptions);

    /// <summary>One CSV cell: formula-neutralised, then quoted when it holds a quote, comma or line break.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
