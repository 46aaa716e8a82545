using Microsoft.AspNetCore.SignalR;
using NovaCron.Domain.Agents;

namespace NovaCron.Web.Features.Agents;

/// <summary>The hub node agents connect out to. Every method acts only for the node this connection registered as.</summary>
public sealed partial class AgentHub(AgentTokenVerifier verifier, AgentConnections connections, AgentReportsHandler reports, ILogger<AgentHub> logger) : Hub
{
    public override async Task OnConnectedAsync()
    {
        if (!verifier.Verify(AgentTokenVerifier.BearerToken(Context.GetHttpContext())))
        {
            LogRejected(logger, Context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            Context.Abort();
            return;
        }

        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (connections.Unbind(Context.ConnectionId) is { } node)
        {
            await reports.NodeDisconnectedAsync(node, CancellationToken.None);
        }

        await base.OnDisconnectedAsync(exception);
    }

    public async Task<AgentWelcome> Register(AgentHello hello)
    {
        if (hello.ProtocolVersion != AgentProtocol.Version)
        {
            throw new HubException($"Protocol version {hello.ProtocolVersion} is not supported; this control plane speaks version {AgentProtocol.Version}.");
        }

        var address = string.IsNullOrWhiteSpace(hello.Address) ? Context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString() ?? "unknown" : hello.Address;
        var result = await reports.RegisterAsync(hello with { Address = address }, Context.ConnectionId, Context.ConnectionAborted);
        if (!result.IsSuccess)
        {
            throw new HubException(result.Error!.Message);
        }

        return result.Value!;
    }

    public Task Heartbeat(AgentHeartbeat heartbeat) => reports.HeartbeatAsync(NodeOfCaller(), heartbeat, Context.ConnectionAborted);

    public Task ReportVmState(VmStateReport report) => reports.VmStateAsync(NodeOfCaller(), report, Context.ConnectionAborted);

    public Task ReportProgress(OperationProgressReport report) => reports.ProgressAsync(NodeOfCaller(), report, Context.ConnectionAborted);

    public Task ReportResult(OperationResultReport report) => reports.ResultAsync(NodeOfCaller(), report, Context.ConnectionAborted);

    public Task ReportConsole(ConsoleChunk chunk) => reports.ConsoleAsync(NodeOfCaller(), chunk, Context.ConnectionAborted);

    private Domain.Common.NodeId NodeOfCaller() =>
        connections.NodeOf(Context.ConnectionId) ?? throw new HubException("Register this agent before reporting.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an agent connection from {Address}: missing or wrong enrollment token")]
    private static partial void LogRejected(ILogger logger, string address);
}
