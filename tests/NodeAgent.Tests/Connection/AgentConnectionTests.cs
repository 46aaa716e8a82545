using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Common;
using NovaCron.Domain.Vms;
using NovaCron.NodeAgent.Tests.Support;

namespace NovaCron.NodeAgent.Tests.Connection;

/// <summary>Runs the real agent host (simulated hypervisor) against a real SignalR hub on Kestrel port 0.</summary>
public sealed class AgentConnectionTests : IAsyncLifetime
{
    private const string Token = "enroll-secret";
    private const string Credential = "ncn_0123456789ab_stand-in-credential";

    private readonly HubRecorder _recorder = new();
    private readonly TempDataDirectory _dir = new();
    private WebApplication? _controlPlane;
    private IHost? _agent;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSignalR();
        builder.Services.AddSingleton(_recorder);
        _controlPlane = builder.Build();
        _controlPlane.MapHub<FakeAgentHub>(AgentProtocol.HubPath);
        await _controlPlane.StartAsync(TestContext.Current.CancellationToken);
        var url = _controlPlane.Urls.First();

        _agent = NodeAgentHost.CreateBuilder([], new Dictionary<string, string?>
        {
            ["Agent:ControlPlaneUrl"] = url,
            ["Agent:EnrollmentToken"] = Token,
            ["Agent:DataDirectory"] = _dir.Path,
            ["Agent:NodeName"] = "test-node",
            ["Agent:Hypervisor"] = "simulated",
        }).Build();
        await _agent.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.StopAsync(CancellationToken.None);
            _agent.Dispose();
        }

        if (_controlPlane is not null)
        {
            await _controlPlane.DisposeAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task ExecuteAsync_NoCredential_EnrollsWithEnrollmentTokenAndKeepsCredentialPrivate()
    {
        await _recorder.Hello.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Assert.Equal($"Bearer {Token}", _recorder.EnrollAuthorization);
        Assert.Equal("test-node", _recorder.EnrolledNode);
        var file = Path.Combine(_dir.Path, "agent", "credential");
        Assert.Equal(Credential, await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public async Task ExecuteAsync_ControlPlaneUp_RegistersWithCredentialAndHostFacts()
    {
        var hello = await _recorder.Hello.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Assert.Equal($"Bearer {Credential}", _recorder.Authorization);
        Assert.Equal(AgentProtocol.Version, hello.ProtocolVersion);
        Assert.Equal("test-node", hello.NodeName);
        Assert.Equal(Environment.ProcessorCount, hello.Capacity.VCpus);
        Assert.True(hello.Capacity.MemoryMiB > 0);
        Assert.Equal("simulated", hello.Accelerator);
    }

    [Fact]
    public async Task Execute_CreateCommand_ReportsStateAndResultToHub()
    {
        await _recorder.Hello.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        var connectionId = _recorder.ConnectionId!;
        var vm = VmId.New();
        var command = new AgentCommand(OperationId.New(), AgentCommandKind.Create, vm,
            new VmDefinition(vm, "web-1", 1, 256, 1, new BootSource(BootSource.KernelKind, "/k", "raw", null, null)), true);
        var hub = _controlPlane!.Services.GetRequiredService<IHubContext<FakeAgentHub>>();

        await hub.Clients.Client(connectionId).SendAsync(AgentClientMethods.Execute, command, TestContext.Current.CancellationToken);

        var result = await _recorder.Result.Task.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.Equal(new OperationResultReport(command.OperationId, true, null, VmObservation.Running), result);
        Assert.Contains(_recorder.States, s => s.VmId == vm && s.State == VmObservation.Running);
    }

    public sealed class HubRecorder
    {
        public TaskCompletionSource<AgentHello> Hello { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<OperationResultReport> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<VmStateReport> States { get; } = new();

        public string? Authorization { get; set; }

        public string? EnrollAuthorization { get; set; }

        public string? EnrolledNode { get; set; }

        public string? ConnectionId { get; set; }
    }

    public sealed class FakeAgentHub(HubRecorder recorder) : Hub
    {
        public EnrollResult Enroll(EnrollRequest request)
        {
            recorder.EnrollAuthorization = Context.GetHttpContext()?.Request.Headers.Authorization.ToString();
            recorder.EnrolledNode = request.NodeName;
            return new EnrollResult(Credential, request.NodeName);
        }

        public AgentWelcome Register(AgentHello hello)
        {
            recorder.Authorization = Context.GetHttpContext()?.Request.Headers.Authorization.ToString();
            recorder.ConnectionId = Context.ConnectionId;
            recorder.Hello.TrySetResult(hello);
            return new AgentWelcome(NodeId.New(), TimeSpan.FromSeconds(1), []);
        }

        public void Heartbeat(AgentHeartbeat heartbeat)
        {
        }

        public void ReportVmState(VmStateReport report) => recorder.States.Enqueue(report);

        public void ReportProgress(OperationProgressReport report)
        {
        }

        public void ReportResult(OperationResultReport report) => recorder.Result.TrySetResult(report);

        public void ReportConsole(ConsoleChunk chunk)
        {
        }
    }
}
