using System.Text;
using Microsoft.AspNetCore.Mvc;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Web.Api;
using NovaCron.Web.Security;

namespace NovaCron.Web.Features.Audit;

public static class AuditEndpoints
{
    /// <summary><c>GET /api/v1/audit</c>: a page of records as JSON; with <c>format=csv</c> or <c>format=json</c>, every
    /// matching record as a downloadable file.</summary>
    public static RouteGroupBuilder MapAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync).WithTags("Audit").WithName("ListAuditRecords").RequirePermission(Permissions.AuditRead);
        return api;
    }

    private static async Task<IResult> ListAsync(
        AuditQueries queries,
        HttpContext http,
        [FromQuery] DateTimeOffset? from,
        [FromQuery] DateTimeOffset? to,
        [FromQuery] string? actor,
        [FromQuery] string? action,
        [FromQuery] string? target,
        [FromQuery] Guid? projectId,
        [FromQuery] AuditResult? result,
        [FromQuery] string? format,
        CancellationToken cancellationToken,
        [FromQuery] int offset = 0,
        [FromQuery] int limit = 50)
    {
        var filter = new AuditFilter(from, to, actor, action, target, projectId, result, offset, limit);
        var caller = await ApiActor.OfAsync(http);
        if (format is null)
        {
            return (await queries.ListAsync(filter, caller, cancellationToken)).ToHttp(TypedResults.Ok);
        }

        if (format is not ("csv" or "json"))
        {
            return Error.Validation("audit.format", $"format must be csv or json; got '{format}'.").ToProblem();
        }

        var records = await queries.ExportAsync(filter, caller, cancellationToken);
        return records.ToHttp(list => format == "csv"
            ? TypedResults.File(Encoding.UTF8.GetBytes(AuditExport.ToCsv(list)), "text/csv; charset=utf-8", "audit.csv")
            : TypedResults.File(Encoding.UTF8.GetBytes(AuditExport.ToJson(list)), "application/json", "audit.json"));
    }
}
