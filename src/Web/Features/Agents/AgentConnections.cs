using System.Collections.Concurrent;
using NovaCron.Domain.Common;

namespace NovaCron.Web.Features.Agents;

/// <summary>Which SignalR connection speaks for which node. One live connection per node: a newer one replaces the older.</summary>
public sealed class AgentConnections
{
    private readonly ConcurrentDictionary<NodeId, string> _byNode = new();
    private readonly ConcurrentDictionary<string, NodeId> _byConnection = new();

    public void Bind(NodeId node, string connectionId)
    {
        if (_byNode.TryGetValue(node, out var previous) && previous != connectionId)
        {
            _byConnection.TryRemove(previous, out _);
        }

        _byNode[node] = connectionId;
        _byConnection[connectionId] = node;
    }

    /// <summary>Forgets a connection; returns the node it spoke for when it was still that node's current connection.</summary>
    public NodeId? Unbind(string connectionId)
    {
        if (!_byConnection.TryRemove(connectionId, out var node))
        {
            return null;
        }

        return _byNode.TryRemove(new KeyValuePair<NodeId, string>(node, connectionId)) ? node : null;
    }

    public NodeId? NodeOf(string connectionId) => _byConnection.TryGetValue(connectionId, out var node) ? node : null;

    public string? ConnectionOf(NodeId node) => _byNode.TryGetValue(node, out var connection) ? connection : null;
}
