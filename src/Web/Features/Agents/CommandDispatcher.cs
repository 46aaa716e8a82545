using Microsoft.AspNetCore.SignalR;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Common;

namespace NovaCron.Web.Features.Agents;

/// <summary>Sends commands to node agents. Delivery is at-least-once: a command whose agent is not connected now is sent
/// again from the pending operations when the agent registers, and agents ignore repeats by operation id.</summary>
public sealed partial class CommandDispatcher(IHubContext<AgentHub> hub, AgentConnections connections, ILogger<CommandDispatcher> logger)
{
    /// <summary>Returns false when the node has no live agent connection; the operation then waits for it.</summary>
    public async Task<bool> SendAsync(NodeId node, AgentCommand command, CancellationToken cancellationToken)
    {
        var connection = connections.ConnectionOf(node);
        if (connection is null)
        {
            LogNotConnected(logger, command.OperationId.Value, node.Value);
            return false;
        }

        try
        {
            await hub.Clients.Client(connection).SendAsync(AgentClientMethods.Execute, command, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or HubException)
        {
            LogSendFailed(logger, ex, command.OperationId.Value, node.Value);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation {OperationId} waits: node {NodeId} has no agent connected")]
    private static partial void LogNotConnected(ILogger logger, Guid operationId, Guid nodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending operation {OperationId} to node {NodeId} failed; it is sent again when the agent registers")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, Guid operationId, Guid nodeId);
}
