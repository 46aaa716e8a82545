using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using NovaCron.Domain.Agents;

namespace NovaCron.Web.Features.Agents;

/// <summary>The hub node agents connect out to. A connection holding a node credential acts only for that node; one
/// holding an enrollment token may only <see cref="Enroll"/>.</summary>
[Authorize(AuthenticationSchemes = AgentAuthenticationHandler.SchemeName)]
public sealed partial class AgentHub(AgentConnections connections, AgentReportsHandler reports, EnrollmentService enrollment, ILogger<AgentHub> logger) : Hub
{
    public override async Task OnConnectedAsync()
    {
        var grant = AgentGrant.FromPrincipal(Context.User);
        if (grant is null)
        {
            LogRejected(logger, RemoteAddress());
            Context.Abort();
            return;
        }

        if (grant.NodeName is { } node)
        {
            connections.Track(node, Context);
        }

        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Untrack(Context.ConnectionId);
        if (connections.Unbind(Context.ConnectionId) is { } node)
        {
            await reports.NodeDisconnectedAsync(node, CancellationToken.None);
        }

        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>Trades this connection's enrollment token for a node credential, returned once.</summary>
    public async Task<EnrollResult> Enroll(EnrollRequest request)
    {
        var grant = GrantOfCaller();
        if (!grant.CanEnroll)
        {
            throw new HubException($"This connection already holds the credential of node {grant.NodeName}; it does not need to enroll.");
        }

        var result = await enrollment.EnrollAsync(grant, request.NodeName, RemoteAddress(), Context.ConnectionAborted);
        if (!result.IsSuccess)
        {
            throw new HubException(result.Error!.Message);
        }

        LogEnrolled(logger, result.Value!.NodeName);
        return result.Value!;
    }

    public async Task<AgentWelcome> Register(AgentHello hello)
    {
        var node = NodeNameOfCaller();
        if (!string.Equals(hello.NodeName, node, StringComparison.Ordinal))
        {
            throw new HubException($"This credential belongs to node {node}; it cannot register as {hello.NodeName}.");
        }

        if (hello.ProtocolVersion != AgentProtocol.Version)
        {
            throw new HubException($"Protocol version {hello.ProtocolVersion} is not supported; this control plane speaks version {AgentProtocol.Version}.");
        }

        var address = string.IsNullOrWhiteSpace(hello.Address) ? RemoteAddress() : hello.Address;
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

    private string RemoteAddress() => Context.GetHttpContext()?.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private AgentGrant GrantOfCaller() => AgentGrant.FromPrincipal(Context.User) ?? throw new HubException("This connection is not authenticated.");

    private string NodeNameOfCaller() =>
        GrantOfCaller().NodeName ?? throw new HubException("This connection holds only an enrollment token: call Enroll, then reconnect with the node credential.");

    private Domain.Common.NodeId NodeOfCaller()
    {
        _ = NodeNameOfCaller();
        return connections.NodeOf(Context.ConnectionId) ?? throw new HubException("Register this agent before reporting.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an agent connection from {Address}: not authenticated")]
    private static partial void LogRejected(ILogger logger, string address);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {NodeName} enrolled and received its credential")]
    private static partial void LogEnrolled(ILogger logger, string nodeName);
}
