using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using NovaCron.Domain.Common;

namespace NovaCron.Web.Features.Agents;

/// <summary>Which SignalR connection speaks for which node. One live connection per node: a newer one replaces the older.</summary>
public sealed class AgentConnections
{
    private readonly ConcurrentDictionary<NodeId, string> _byNode = new();
    private readonly ConcurrentDictionary<string, NodeId> _byConnection = new();
    private readonly ConcurrentDictionary<string, (string NodeName, HubCallerContext Caller)> _credentialed = new();

    /// <summary>Remembers a connection authenticated with a node credential, so revoking the credential can end it.</summary>
    public void Track(string nodeName, HubCallerContext caller) => _credentialed[caller.ConnectionId] = (nodeName, caller);

    public void Untrack(string connectionId) => _credentialed.TryRemove(connectionId, out _);

    /// <summary>Aborts every live connection speaking for <paramref name="nodeName"/>; returns how many.</summary>
    public int AbortNode(string nodeName)
    {
        var aborted = 0;
        foreach (var (connectionId, entry) in _credentialed)
        {
            if (entry.NodeName == nodeName && _credentialed.TryRemove(connectionId, out _))
            {
                entry.Caller.Abort();
                aborted++;
            }
        }

        return aborted;
    }

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
