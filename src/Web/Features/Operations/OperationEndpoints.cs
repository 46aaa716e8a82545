using Microsoft.AspNetCore.Mvc;
using NovaCron.Domain.Operations;
using NovaCron.Web.Api;

namespace NovaCron.Web.Features.Operations;

public static class OperationEndpoints
{
    public static RouteGroupBuilder MapOperationEndpoints(this RouteGroupBuilder api)
    {
        var operations = api.MapGroup("/operations").WithTags("Operations");
        operations.MapGet("/", ListAsync).WithName("ListOperations");
        operations.MapGet("/{id:guid}", async (Guid id, OperationQueries queries, CancellationToken ct) => (await queries.GetAsync(id, ct)).ToHttp(TypedResults.Ok)).WithName("GetOperation");
        return api;
    }

    private static async Task<IResult> ListAsync(
        OperationQueries queries,
        [FromQuery] Guid? vmId,
        [FromQuery] OperationStatus? status,
        CancellationToken cancellationToken,
        [FromQuery] int offset = 0,
        [FromQuery] int limit = 50) =>
        (await queries.ListAsync(new OperationFilter(vmId, status, offset, limit), cancellationToken)).ToHttp(TypedResults.Ok);
}
