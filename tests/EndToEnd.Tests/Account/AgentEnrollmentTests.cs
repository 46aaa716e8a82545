using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Common;
using NovaCron.Domain.Vms;
using NovaCron.Testing;
using NovaCron.Web.Configuration;
using NovaCron.Web.Features;
using NovaCron.Web.Features.Agents;

namespace NovaCron.EndToEnd.Tests.Account;

/// <summary>The agent hub of the real control plane: enrollment tokens, node credentials and what each may do.</summary>
public sealed class AgentEnrollmentTests : IAsyncLifetime
{
    private readonly List<HubConnection> _connections = [];
    private NovaCronStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await NovaCronStack.StartAsync(withAgent: false);

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await _stack.DisposeAsync();
    }

    private string BootstrapToken => _stack.WebServices.GetRequiredService<IOptions<AgentAuthOptions>>().Value.EnrollmentToken!;

    // The Kestrel address itself: independent of how the stack's HttpClients are set up.
    private Uri ServerAddress => new(_stack.WebServices.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    private EnrollmentService Enrollment => _stack.WebServices.GetRequiredService<EnrollmentService>();

    [Fact]
    public async Task Enroll_BootstrapToken_CredentialRegistersTheNode()
    {
        var credential = await EnrollAsync(BootstrapToken, "enrolled-node");

        var agent = await ConnectAsync(credential);
        var welcome = await agent.InvokeAsync<AgentWelcome>(AgentHubMethods.Register, Hello("enrolled-node"), TestContext.Current.CancellationToken);

        Assert.StartsWith("ncn_", credential, StringComparison.Ordinal);
        Assert.NotEqual(default, welcome.NodeId);
    }

    [Fact]
    public async Task Register_CredentialOfAnotherNode_IsRefused()
    {
        var credential = await EnrollAsync(BootstrapToken, "node-a");
        var agent = await ConnectAsync(credential);

        var refused = await Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync<AgentWelcome>(AgentHubMethods.Register, Hello("node-b"), TestContext.Current.CancellationToken));

        Assert.Contains("belongs to node node-a", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeCredential_ConnectedNode_IsDisconnectedAndRefused()
    {
        var credential = await EnrollAsync(BootstrapToken, "revoked-node");
        var agent = await ConnectAsync(credential);
        await agent.InvokeAsync<AgentWelcome>(AgentHubMethods.Register, Hello("revoked-node"), TestContext.Current.CancellationToken);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        var revoked = await Enrollment.RevokeNodeCredentialsAsync("revoked-node", Actor.System, TestContext.Current.CancellationToken);

        Assert.True(revoked.IsSuccess);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ConnectAsync(credential));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task EnrollmentTokenConnection_CallsRegisterOrReports_IsRefused()
    {
        var connection = await ConnectAsync(BootstrapToken);

        var register = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<AgentWelcome>(AgentHubMethods.Register, Hello("sneaky"), TestContext.Current.CancellationToken));
        var report = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync(
            AgentHubMethods.ReportVmState, new VmStateReport(VmId.New(), VmObservation.Running, "test", DateTimeOffset.UtcNow), TestContext.Current.CancellationToken));

        Assert.Contains("enrollment token", register.Message, StringComparison.Ordinal);
        Assert.Contains("enrollment token", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_UnknownToken_IsRefused()
    {
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ConnectAsync("ncn_0123456789ab_made-up"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Enroll_SingleUseToken_WorksOnceThenIsRefused()
    {
        var created = await Enrollment.CreateAsync(new CreateEnrollmentTokenRequest("rack 4", SingleUse: true), Actor.System, TestContext.Current.CancellationToken);
        var secret = created.Value!.Secret;

        var credential = await EnrollAsync(secret, "rack4-host1");

        Assert.StartsWith("ncn_", credential, StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ConnectAsync(secret));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain((await Enrollment.ListAsync(TestContext.Current.CancellationToken)).Select(t => t.ToString()), s => s.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Enroll_NodeAlreadyEnrolled_IsRefusedWithReason()
    {
        await EnrollAsync(BootstrapToken, "twice");
        var connection = await ConnectAsync(BootstrapToken);

        var refused = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<EnrollResult>(AgentHubMethods.Enroll, new EnrollRequest("twice"), TestContext.Current.CancellationToken));

        Assert.Contains("already enrolled", refused.Message, StringComparison.Ordinal);
    }

    private async Task<string> EnrollAsync(string token, string nodeName)
    {
        var connection = await ConnectAsync(token);
        var result = await connection.InvokeAsync<EnrollResult>(AgentHubMethods.Enroll, new EnrollRequest(nodeName), TestContext.Current.CancellationToken);
        await connection.StopAsync(TestContext.Current.CancellationToken);
        return result.CredentialSecret;
    }

    private async Task<HubConnection> ConnectAsync(string bearer)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(ServerAddress, AgentProtocol.HubPath), o => o.AccessTokenProvider = () => Task.FromResult<string?>(bearer))
            .Build();
        _connections.Add(connection);
        await connection.StartAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    private static AgentHello Hello(string nodeName) =>
        new(AgentProtocol.Version, nodeName, "127.0.0.1", new HostCapacity(2, 2048, 20), "test", "tcg", []);
}
