using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Common;
using NovaCron.Domain.Vms;
using NovaCron.NodeAgent.Commands;
using NovaCron.NodeAgent.Configuration;
using NovaCron.NodeAgent.Hypervisor.Simulated;
using NovaCron.NodeAgent.Reporting;
using NovaCron.NodeAgent.Tests.Support;

namespace NovaCron.NodeAgent.Tests.Commands;

/// <summary>Protocol behaviour of the executor; the simulated hypervisor stands in because QEMU is not what is tested here.</summary>
public sealed class CommandExecutorTests
{
    private readonly AgentOutbox _outbox = new();
    private readonly CommandExecutor _executor;

    public CommandExecutorTests()
    {
        var hypervisor = new SimulatedHypervisor(new RecordingEvents());
        _executor = new CommandExecutor(hypervisor, _outbox, Options.Create(new AgentOptions()), new FakeLifetime(), NullLogger<CommandExecutor>.Instance);
    }

    [Fact]
    public async Task Accept_CreateWithStart_ReportsSuccessWithRunningState()
    {
        var command = CreateCommand();

        _executor.Accept(command);

        var result = await NextResultAsync();
        Assert.Equal(new OperationResultReport(command.OperationId, true, null, VmObservation.Running), result);
    }

    [Fact]
    public async Task Accept_RepeatOfFinishedOperation_ResendsResultWithoutRunningAgain()
    {
        var command = CreateCommand();
        _executor.Accept(command);
        var first = await NextResultAsync();

        _executor.Accept(command);

        var message = await _outbox.Reader.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal(AgentHubMethods.ReportResult, message.Method);
        Assert.Equal(first, message.Payload);
        Assert.False(_outbox.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Accept_PauseOfUnknownVm_ReportsFailureWithReadableError()
    {
        var command = new AgentCommand(OperationId.New(), AgentCommandKind.Pause, VmId.New(), null, false);

        _executor.Accept(command);

        var result = await NextResultAsync();
        Assert.False(result.Succeeded);
        Assert.Contains("does not exist", result.Error, StringComparison.Ordinal);
        Assert.Equal(VmObservation.Deleted, result.ActualState);
    }

    private static AgentCommand CreateCommand()
    {
        var vm = VmId.New();
        var definition = new VmDefinition(vm, "web-1", 1, 256, 1, new BootSource(BootSource.KernelKind, "/k", "raw", null, null));
        return new AgentCommand(OperationId.New(), AgentCommandKind.Create, vm, definition, StartAfterCreate: true);
    }

    private async Task<OperationResultReport> NextResultAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (true)
        {
            var message = await _outbox.Reader.ReadAsync(timeout.Token);
            if (message.Payload is OperationResultReport result)
            {
                return result;
            }
        }
    }

    private sealed class FakeLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}
