using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Testing;
using NovaCron.Web.Features;
using NovaCron.Web.Features.Agents;
using NovaCron.Web.Realtime;

namespace NovaCron.EndToEnd.Tests.Account;

/// <summary>The agent hub of the real control plane: enrollment tokens, node credentials and what each may do.</summary>
public sealed class AgentEnrollmentTests : IAsyncLifetime
{
    private NovaCronStack _stack = null!;
    private AgentHubClients _agents = null!;

    public async ValueTask InitializeAsync()
    {
        _stack = await NovaCronStack.StartAsync(withAgent: false);
        _agents = new AgentHubClients(_stack);
    }

    public async ValueTask DisposeAsync()
    {
        await _agents.DisposeAsync();
        await _stack.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string ConfigurationToken => _stack.ConfigurationEnrollmentToken!;

    private EnrollmentService Enrollment => _agents.Enrollment;

    [Fact]
    public async Task Enroll_BootstrapToken_CredentialRegistersTheNode()
    {
        var credential = await _agents.EnrollAsync(ConfigurationToken, "enrolled-node");

        var agent = await _agents.ConnectAsync(credential);
        var welcome = await agent.InvokeAsync<AgentWelcome>(AgentHubMethods.Register, AgentHubClients.Hello("enrolled-node"), Ct);

        Assert.StartsWith("ncn_", credential, StringComparison.Ordinal);
        Assert.NotEqual(default, welcome.NodeId);
    }

    [Fact]
    public async Task Register_CredentialOfAnotherNode_IsRefused()
    {
        var credential = await _agents.EnrollAsync(ConfigurationToken, "node-a");
        var agent = await _agents.ConnectAsync(credential);

        var refused = await Assert.ThrowsAsync<HubException>(() => agent.InvokeAsync<AgentWelcome>(AgentHubMethods.Register, AgentHubClients.Hello("node-b"), Ct));

        Assert.Contains("belongs to node node-a", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevokeCredential_ConnectedNode_IsDisconnectedAndRefused()
    {
        var credential = await _agents.EnrollAsync(ConfigurationToken, "revoked-node");
        var agent = await _agents.ConnectAsync(credential);
        await agent.InvokeAsync<AgentWelcome>(AgentHubMethods.Register, AgentHubClients.Hello("revoked-node"), Ct);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        agent.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        var revoked = await Enrollment.RevokeNodeCredentialsAsync("revoked-node", Actor.System, Ct);

        Assert.True(revoked.IsSuccess);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => _agents.ConnectAsync(credential));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Enroll_RevokedNodeWithConfigurationToken_IsRefusedWithReasonAndAudited()
    {
        await _agents.EnrollAsync(ConfigurationToken, "comeback");
        await Enrollment.RevokeNodeCredentialsAsync("comeback", Actor.System, Ct);
        var connection = await _agents.ConnectAsync(ConfigurationToken);

        var refused = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<EnrollResult>(AgentHubMethods.Enroll, new EnrollRequest("comeback"), Ct));

        Assert.Contains("credential revoked", refused.Message, StringComparison.Ordinal);
        Assert.Contains("only with an enrollment token an administrator creates", refused.Message, StringComparison.Ordinal);
        var audit = await _agents.EnrollmentAuditAsync("comeback");
        Assert.Equal([AuditResult.Succeeded, AuditResult.Denied], audit.Select(r => r.Result));
        Assert.Contains("configuration token", audit[^1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enroll_RevokedNodeWithAdministratorToken_GetsANewCredential()
    {
        var first = await _agents.EnrollAsync(ConfigurationToken, "comeback");
        await Enrollment.RevokeNodeCredentialsAsync("comeback", Actor.System, Ct);
        var token = (await Enrollment.CreateAsync(new CreateEnrollmentTokenRequest("comeback"), Actor.System, Ct)).Value!;

        var second = await _agents.EnrollAsync(token.Secret, "comeback");

        Assert.NotEqual(first, second);
        var agent = await _agents.ConnectAsync(second);
        await agent.InvokeAsync<AgentWelcome>(AgentHubMethods.Register, AgentHubClients.Hello("comeback"), Ct);
    }

    [Fact]
    public async Task EnrollmentTokenConnection_CallsRegisterOrReports_IsRefused()
    {
        var connection = await _agents.ConnectAsync(ConfigurationToken);

        var register = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<AgentWelcome>(AgentHubMethods.Register, AgentHubClients.Hello("sneaky"), Ct));
        var report = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync(
            AgentHubMethods.ReportVmState, new VmStateReport(VmId.New(), VmObservation.Running, "test", DateTimeOffset.UtcNow), Ct));

        Assert.Contains("enrollment token", register.Message, StringComparison.Ordinal);
        Assert.Contains("enrollment token", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_UnknownToken_IsRefused()
    {
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => _agents.ConnectAsync("ncn_0123456789ab_made-up"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Connect_UserApiToken_IsRefused()
    {
        var apiToken = _stack.Api.DefaultRequestHeaders.Authorization!.Parameter!;
        Assert.Equal(HttpStatusCode.OK, (await _stack.Api.GetAsync("/api/v1/nodes", Ct)).StatusCode);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => _agents.ConnectAsync(apiToken));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Negotiate_SignedInUserCookie_IsRefused()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await Browser.SignInAsync(browser, _stack.BaseAddress, NovaCronStack.AdminUserName, _stack.AdminPassword, "/vms");
            const string Post = "async path => (await fetch(path, { method: 'POST', credentials: 'same-origin' })).status";

            var api = await page.EvaluateAsync<int>("async path => (await fetch(path, { credentials: 'same-origin' })).status", "/api/v1/nodes");
            var eventsHub = await page.EvaluateAsync<int>(Post, EventsHub.Path + "/negotiate?negotiateVersion=1");
            var agentHub = await page.EvaluateAsync<int>(Post, AgentProtocol.HubPath + "/negotiate?negotiateVersion=1");

            Assert.Equal((200, 200, 401), (api, eventsHub, agentHub));
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task Enroll_SingleUseToken_WorksOnceThenIsRefused()
    {
        var created = await Enrollment.CreateAsync(new CreateEnrollmentTokenRequest("rack 4", SingleUse: true), Actor.System, Ct);
        var secret = created.Value!.Secret;

        var credential = await _agents.EnrollAsync(secret, "rack4-host1");

        Assert.StartsWith("ncn_", credential, StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => _agents.ConnectAsync(secret));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain((await Enrollment.ListAsync(Ct)).Select(t => t.ToString()), s => s.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connect_ExpiredEnrollmentToken_IsRefused()
    {
        var token = (await Enrollment.CreateAsync(new CreateEnrollmentTokenRequest("late", SingleUse: false), Actor.System, Ct)).Value!;
        await ExpireAsync(token.Token.Id);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => _agents.ConnectAsync(token.Secret));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task Enroll_TokenExpiredAfterConnecting_IsRefusedWithReasonAndAudited()
    {
        var token = (await Enrollment.CreateAsync(new CreateEnrollmentTokenRequest("late", SingleUse: false), Actor.System, Ct)).Value!;
        var connection = await _agents.ConnectAsync(token.Secret);
        await ExpireAsync(token.Token.Id);

        var refused = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<EnrollResult>(AgentHubMethods.Enroll, new EnrollRequest("too-late"), Ct));

        Assert.Contains("expired", refused.Message, StringComparison.Ordinal);
        var audit = Assert.Single(await _agents.EnrollmentAuditAsync("too-late"));
        Assert.Equal(AuditResult.Failed, audit.Result);
        Assert.Contains($"enrollment token {token.Token.Id}", audit.Detail, StringComparison.Ordinal);
        Assert.Null((await Enrollment.ListAsync(Ct)).Single(t => t.Id == token.Token.Id).UsedAt);
    }

    [Fact]
    public async Task Enroll_NodeAlreadyEnrolled_IsRefusedWithReason()
    {
        await _agents.EnrollAsync(ConfigurationToken, "twice");
        var connection = await _agents.ConnectAsync(ConfigurationToken);

        var refused = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<EnrollResult>(AgentHubMethods.Enroll, new EnrollRequest("twice"), Ct));

        Assert.Contains("already enrolled", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reports_AboutAnotherNodesVmAndOperation_AreIgnored()
    {
        var owner = await _agents.RegisterAsync(ConfigurationToken, "owner");
        var created = await _stack.Api.PostAsJsonAsync("/api/v1/vms", new { name = "owned", vCpus = 1, memoryMiB = 192, diskGiB = 1, start = false }, NovaCronStack.Json, Ct);
        var vm = (await created.Content.ReadFromJsonAsync<VmView>(NovaCronStack.Json, Ct))!;
        var operationId = new OperationId(vm.ActiveOperationId!.Value);
        var queued = await OperationAsync(operationId);
        var intruder = await _agents.RegisterAsync(ConfigurationToken, "intruder");

        await intruder.InvokeAsync(AgentHubMethods.ReportVmState, new VmStateReport(new VmId(vm.Id), VmObservation.Running, "hijacked", DateTimeOffset.UtcNow), Ct);
        await intruder.InvokeAsync(AgentHubMethods.ReportProgress, new OperationProgressReport(operationId, 90, "hijacked"), Ct);
        await intruder.InvokeAsync(AgentHubMethods.ReportResult, new OperationResultReport(operationId, true, null, VmObservation.Running), Ct);

        var afterIntruder = await _stack.GetVmAsync(vm.Id);
        Assert.Equal((vm.State, (Guid?)operationId.Value), (afterIntruder.State, afterIntruder.ActiveOperationId));
        var afterIntruderOperation = await OperationAsync(operationId);
        Assert.Equal((queued.Status, queued.Progress, (DateTimeOffset?)null), (afterIntruderOperation.Status, afterIntruderOperation.Progress, afterIntruderOperation.EndedAt));
        // The same report from the VM's own node is applied: the intruder's were refused for who sent them.
        await owner.InvokeAsync(AgentHubMethods.ReportResult, new OperationResultReport(operationId, true, null, VmObservation.Stopped), Ct);
        Assert.Equal(OperationStatus.Succeeded, (await OperationAsync(operationId)).Status);
        Assert.Equal(VmState.Stopped, (await _stack.GetVmAsync(vm.Id)).State);
    }

    private async Task<OperationView> OperationAsync(OperationId id) => (await _stack.GetAsync<OperationDetail>($"/api/v1/operations/{id.Value}"))!.Operation;

    private async Task ExpireAsync(Guid tokenId)
    {
        await using var db = await _stack.WebServices.GetRequiredService<IDbContextFactory<NovaCronDbContext>>().CreateDbContextAsync(Ct);
        var past = DateTimeOffset.UtcNow.AddMinutes(-1);
        await db.EnrollmentTokens.Where(t => t.Id == tokenId).ExecuteUpdateAsync(set => set.SetProperty(t => t.ExpiresAt, past), Ct);
    }
}
