using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Common;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Features.Nodes;

/// <summary>Read side of nodes, shared by the REST API and the Blazor pages.</summary>
public sealed class NodeQueries(IDbContextFactory<NovaCronDbContext> dbFactory, ClusterStateFeed feed)
{
    public async Task<IReadOnlyList<NodeView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var nodes = await db.Nodes.AsNoTracking().ToListAsync(cancellationToken);
        return [.. nodes.OrderBy(n => n.Name, StringComparer.Ordinal).Select(ToView)];
    }

    public async Task<Result<NodeView>> GetAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var node = await db.Nodes.AsNoTracking().SingleOrDefaultAsync(n => n.Id == new NodeId(id), cancellationToken);
        return node is null ? Error.NotFound("node.not-found", $"No node with id {id}.") : ToView(node);
    }

    private NodeView ToView(Domain.Nodes.Node node)
    {
        var (cpu, memory) = feed.NodeLoad(node.Id.Value);
        return NodeView.From(node, cpu, memory);
    }
}
