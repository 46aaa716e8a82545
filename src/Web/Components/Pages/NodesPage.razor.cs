using Microsoft.AspNetCore.Components;
using NovaCron.Web.Features.Nodes;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Components.Pages;

/// <summary>Every node with its capacity, allocation, load and heartbeat, live.</summary>
public sealed partial class NodesPage
{
    private readonly Dictionary<Guid, NodeView> _nodes = [];

    [Inject]
    public required NodeQueries Queries { get; init; }

    private IEnumerable<NodeView> Rows => _nodes.Values.OrderBy(n => n.Name, StringComparer.Ordinal);

    protected override async Task LoadAsync()
    {
        var nodes = await Queries.ListAsync(CancellationToken.None);
        _nodes.Clear();
        foreach (var node in nodes)
        {
            _nodes[node.Id] = node;
        }
    }

    protected override bool Apply(ClusterEvent change)
    {
        if (change is not NodeChanged { Node: var node })
        {
            return false;
        }

        // Load figures come from heartbeats, which may not be on the change itself.
        var (cpu, memory) = Feed.NodeLoad(node.Id);
        _nodes[node.Id] = node with { CpuLoad = node.CpuLoad ?? cpu, MemoryUsedMiB = node.MemoryUsedMiB ?? memory };
        return true;
    }
}
