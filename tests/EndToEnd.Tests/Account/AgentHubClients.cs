using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Audit;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Testing;
using NovaCron.Web.Features.Agents;

namespace NovaCron.EndToEnd.Tests.Account;

/// <summary>Connections to a stack's <c>/hubs/agents</c> made the way a node agent makes them, disposed together.</summary>
public sealed class AgentHubClients(NovaCronStack stack) : IAsyncDisposable
{
    private readonly List<HubConnection> _connections = [];

    // The Kestrel address itself: independent of how the stack's HttpClients are set up.
    public Uri ServerAddress => new(stack.WebServices.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    public EnrollmentService Enrollment => stack.WebServices.GetRequiredService<EnrollmentService>();

    public async Task<HubConnection> ConnectAsync(string bearer)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(ServerAddress, AgentProtocol.HubPath), o => o.AccessTokenProvider = () => Task.FromResult<string?>(bearer))
            .Build();
        _connections.Add(connection);
        await connection.StartAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    /// <summary>Enrolls <paramref name="nodeName"/> with <paramref name="token"/> and returns its node credential.</summary>
    public async Task<string> EnrollAsync(string token, string nodeName)
    {
        var connection = await ConnectAsync(token);
        var result = await connection.InvokeAsync<EnrollResult>(AgentHubMethods.Enroll, new EnrollRequest(nodeName), TestContext.Current.CancellationToken);
        await connection.StopAsync(TestContext.Current.CancellationToken);
        return result.CredentialSecret;
    }

    /// <summary>Enrolls and registers <paramref name="nodeName"/>; the returned connection reports for it.</summary>
    public async Task<HubConnection> RegisterAsync(string token, string nodeName)
    {
        var agent = await ConnectAsync(await EnrollAsync(token, nodeName));
        await agent.InvokeAsync<AgentWelcome>(AgentHubMethods.Register, Hello(nodeName), TestContext.Current.CancellationToken);
        return agent;
    }

    public static AgentHello Hello(string nodeName) =>
        new(AgentProtocol.Version, nodeName, "127.0.0.1", new HostCapacity(2, 2048, 20), "test", "tcg", []);

    /// <summary>The audit records of enrolling <paramref name="nodeName"/>, oldest first.</summary>
    public async Task<List<AuditRecord>> EnrollmentAuditAsync(string nodeName)
    {
        await using var db = await stack.WebServices.GetRequiredService<IDbContextFactory<NovaCronDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var records = await db.AuditRecords.AsNoTracking().Where(r => r.Action == "node.enroll" && r.TargetName == nodeName).ToListAsync(TestContext.Current.CancellationToken);
        return [.. records.OrderBy(r => r.At)];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }
}
