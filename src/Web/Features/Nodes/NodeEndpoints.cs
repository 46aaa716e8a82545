using NovaCron.Domain.Identity;
using NovaCron.Web.Api;
using NovaCron.Web.Security;

namespace NovaCron.Web.Features.Nodes;

public static class NodeEndpoints
{
    public static RouteGroupBuilder MapNodeEndpoints(this RouteGroupBuilder api)
    {
        var nodes = api.MapGroup("/nodes").WithTags("Nodes");
        nodes.MapGet("/", async (NodeQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.ListAsync(ct))).WithName("ListNodes").RequirePermission(Permissions.NodeRead);
        nodes.MapGet("/{id:guid}", async (Guid id, NodeQueries queries, CancellationToken ct) => (await queries.GetAsync(id, ct)).ToHttp(TypedResults.Ok)).WithName("GetNode").RequirePermission(Permissions.NodeRead);
        return api;
    }
}
