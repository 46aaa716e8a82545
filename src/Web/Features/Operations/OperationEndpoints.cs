using Microsoft.AspNetCore.Mvc;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Identity;
using NovaCron.Web.Api;
using NovaCron.Web.Security;

namespace NovaCron.Web.Features.Operations;

public static class OperationEndpoints
{
    public static RouteGroupBuilder MapOperationEndpoints(this RouteGroupBuilder api)
    {
        var operations = api.MapGroup("/operations").WithTags("Operations");
        operations.MapGet("/", ListAsync).WithName("ListOperations").RequirePermission(Permissions.VmRead);
        operations.MapGet("/{id:guid}", async (Guid id, OperationQueries queries, HttpContext http, CancellationToken ct) =>
            (await queries.GetAsync(id, (await ApiActor.OfAsync(http)).Access, ct)).ToHttp(TypedResults.Ok)).WithName("GetOperation").RequirePermission(Permissions.VmRead);
        return api;
    }

    private static async Task<IResult> ListAsync(
        OperationQueries queries,
        HttpContext http,
        [FromQuery] Guid? vmId,
        [FromQuery] OperationStatus? status,
        CancellationToken cancellationToken,
        [FromQuery] int offset = 0,
        [FromQuery] int limit = 50) =>
        (await queries.ListAsync(new OperationFilter(vmId, status, offset, limit), (await ApiActor.OfAsync(http)).Access, cancellationToken)).ToHttp(TypedResults.Ok);
}
