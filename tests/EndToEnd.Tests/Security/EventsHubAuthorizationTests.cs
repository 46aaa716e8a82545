using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Projects;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Testing;
using NovaCron.Web.Realtime;

namespace NovaCron.EndToEnd.Tests.Security;

/// <summary><c>/hubs/events</c> refuses anonymous clients and sends each client only the events of projects it may see.</summary>
public sealed class EventsHubAuthorizationTests : IAsyncLifetime
{
    private NovaCronStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await NovaCronStack.StartAsync();

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task Connect_Anonymous_Refused()
    {
        await using var connection = new HubConnectionBuilder().WithUrl(new Uri(_stack.BaseAddress, EventsHub.Path)).Build();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task VmChanged_OnlyReachesClientsOfThatProject()
    {
        var alpha = await CreateProjectAsync("alpha");
        var beta = await CreateProjectAsync("beta");
        var viewer = Role.BuiltIn.Single(r => r.Name == Role.Viewer).Id;
        var alphaToken = await TokenOfNewUserAsync("alpha-viewer", [(alpha, viewer)]);
        var betaToken = await TokenOfNewUserAsync("beta-viewer", [(beta, viewer)]);
        var alphaSeen = new ConcurrentQueue<VmView>();
        var betaSeen = new ConcurrentQueue<VmView>();
        await using var alphaClient = await ConnectAsync(alphaToken, alphaSeen);
        await using var betaClient = await ConnectAsync(betaToken, betaSeen);

        await CreateVmAsync("in-alpha", "alpha");
        await Eventually.TrueAsync(() => Task.FromResult(alphaSeen.Any(v => v.Name == "in-alpha")), TimeSpan.FromSeconds(30), "alpha's client sees its VM");

        // Events leave the hub in order, so once beta's own VM arrives anything earlier meant for beta has arrived too.
        await CreateVmAsync("in-beta", "beta");
        await Eventually.TrueAsync(() => Task.FromResult(betaSeen.Any(v => v.Name == "in-beta")), TimeSpan.FromSeconds(30), "beta's client sees its VM");
        Assert.DoesNotContain(betaSeen, v => v.Name == "in-alpha");
        Assert.All(betaSeen, v => Assert.Equal(beta.Value, v.ProjectId));
    }

    [Fact]
    public async Task RevokedToken_WhileConnected_ConnectionIsClosed()
    {
        var token = await TokenOfNewUserAsync("revoked-viewer", [(ProjectId.Default, Role.BuiltIn.Single(r => r.Name == Role.Viewer).Id)]);
        var closed = new TaskCompletionSource();
        await using var client = await ConnectAsync(token, new ConcurrentQueue<VmView>());
        client.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        var sessions = _stack.WebServices.GetRequiredService<EventsHubSessions>();
        await Eventually.TrueAsync(() => Task.FromResult(sessions.GroupsOf(client.ConnectionId!) is not null), TimeSpan.FromSeconds(30), "the server to register the connection");

        await using (var db = await Db.CreateDbContextAsync())
        {
            var stored = await db.ApiTokens.SingleAsync(t => t.UserId == db.Users.Single(u => u.UserName == "revoked-viewer").Id);
            stored.Revoke(DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(HubConnectionState.Disconnected, client.State);
    }

    [Fact]
    public async Task MembershipRemoved_WhileConnected_ProjectEventsStopAndOthersContinue()
    {
        var (alpha, beta) = (await CreateProjectAsync("gone"), await CreateProjectAsync("kept"));
        var viewer = Role.BuiltIn.Single(r => r.Name == Role.Viewer).Id;
        var token = await TokenOfNewUserAsync("two-project-viewer", [(alpha, viewer), (beta, viewer)]);
        var seen = new ConcurrentQueue<VmView>();
        await using var client = await ConnectAsync(token, seen);
        var sessions = _stack.WebServices.GetRequiredService<EventsHubSessions>();
        // The server registers the connection in OnConnectedAsync, which may finish just after the client's handshake.
        await Eventually.TrueAsync(
            () => Task.FromResult(sessions.GroupsOf(client.ConnectionId!)?.Contains(EventsHub.Group(Permissions.VmRead, alpha.Value)) == true),
            TimeSpan.FromSeconds(30),
            "the connection to join the first project's group");

        // Through the API as an administrator would: the removal commits inside the handler's own transaction.
        var userId = await _stack.InDbAsync(db => db.Users.Where(u => u.UserName == "two-project-viewer").Select(u => u.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await _stack.Api.DeleteAsync($"/api/v1/projects/{alpha}/members/{userId}")).StatusCode);

        await Eventually.TrueAsync(
            () => Task.FromResult(sessions.GroupsOf(client.ConnectionId!)?.Contains(EventsHub.Group(Permissions.VmRead, alpha.Value)) == false),
            TimeSpan.FromSeconds(30),
            "the connection to leave the removed project's group");
        await CreateVmAsync("after-removal", "gone");
        await CreateVmAsync("still-visible", "kept");
        await Eventually.TrueAsync(() => Task.FromResult(seen.Any(v => v.Name == "still-visible")), TimeSpan.FromSeconds(30), "the kept project's VM");
        Assert.DoesNotContain(seen, v => v.Name == "after-removal");
        Assert.Equal(HubConnectionState.Connected, client.State);
    }

    private IDbContextFactory<NovaCronDbContext> Db => _stack.WebServices.GetRequiredService<IDbContextFactory<NovaCronDbContext>>();

    private async Task<HubConnection> ConnectAsync(string token, ConcurrentQueue<VmView> seen)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_stack.BaseAddress, EventsHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()))
            .Build();
        connection.On<VmView>(nameof(VmChanged), seen.Enqueue);
        await connection.StartAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    private async Task<string> TokenOfNewUserAsync(string name, IReadOnlyList<(ProjectId, RoleId)> memberships)
    {
        var client = await _stack.ClientForNewUserAsync(name, null, memberships);
        return client.DefaultRequestHeaders.Authorization!.Parameter!;
    }

    private async Task<ProjectId> CreateProjectAsync(string name)
    {
        var factory = _stack.WebServices.GetRequiredService<IDbContextFactory<NovaCronDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var project = Project.Create(name, name, Quota.Unlimited, DateTimeOffset.UtcNow).Value!;
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        return project.Id;
    }

    private async Task CreateVmAsync(string name, string project)
    {
        var response = await _stack.Api.PostAsJsonAsync("/api/v1/vms", new { name, vCpus = 1, memoryMiB = 128, diskGiB = 1, start = false, project }, NovaCronStack.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
