using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Common;
using NovaCron.Domain.Hypervisors;
using NovaCron.Domain.Vms;
using NovaCron.NodeAgent.Configuration;
using NovaCron.NodeAgent.Hypervisor;
using NovaCron.NodeAgent.Reporting;

namespace NovaCron.NodeAgent.Commands;

/// <summary>Handles <see cref="AgentClientMethods.Execute"/>: acknowledges at once and runs the command in the background.
/// Idempotent by <see cref="AgentCommand.OperationId"/>: a repeat of a finished command re-sends its result, a repeat of a
/// running one is ignored (its result follows). The last <see cref="RememberedOperations"/> operations are remembered.</summary>
public sealed partial class CommandExecutor(
    IHypervisor hypervisor,
    AgentOutbox outbox,
    IOptions<AgentOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<CommandExecutor> logger)
{
    public const int RememberedOperations = 1000;

    private readonly Lock _gate = new();
    private readonly Dictionary<OperationId, OperationResultReport?> _operations = [];
    private readonly Queue<OperationId> _order = new();

    /// <summary>Accepts a command; returns before it has run.</summary>
    public void Accept(AgentCommand command)
    {
        lock (_gate)
        {
            if (_operations.TryGetValue(command.OperationId, out var known))
            {
                if (known is not null)
                {
                    outbox.Post(AgentHubMethods.ReportResult, known);
                }

                LogDuplicate(logger, command.OperationId, known is null ? "running" : "finished");
                return;
            }

            _operations[command.OperationId] = null;
            _order.Enqueue(command.OperationId);
            Trim();
        }

        _ = Task.Run(() => RunAsync(command));
    }

    /// <summary>Drops the oldest finished operations beyond the bound; running ones always stay.</summary>
    private void Trim()
    {
        var rounds = _order.Count;
        while (_operations.Count > RememberedOperations && rounds-- > 0)
        {
            var oldest = _order.Dequeue();
            if (_operations[oldest] is null)
            {
                _order.Enqueue(oldest);
            }
            else
            {
                _operations.Remove(oldest);
            }
        }
    }

    private async Task RunAsync(AgentCommand command)
    {
        var cancellationToken = lifetime.ApplicationStopping;
        OperationResultReport result;
        try
        {
            LogRunning(logger, command.OperationId, command.Kind, command.VmId);
            // Long commands say they started; QMP one-shots (pause, resume, reboot) report only their result, which
            // keeps one control-plane write off the path between the request and the state change.
            if (command.Kind is AgentCommandKind.Create or AgentCommandKind.Start or AgentCommandKind.Stop or AgentCommandKind.Delete or AgentCommandKind.Resize)
            {
                outbox.Post(AgentHubMethods.ReportProgress, new OperationProgressReport(command.OperationId, 0, $"{command.Kind} started"));
            }

            await ExecuteAsync(command, cancellationToken);
            result = new OperationResultReport(command.OperationId, true, null, await ActualStateAsync(command.VmId, cancellationToken));
        }
        catch (Exception ex)
        {
            var message = ex is HypervisorException ? ex.Message : $"Unexpected agent failure: {ex.Message}";
            LogFailed(logger, ex, command.OperationId, command.Kind, command.VmId);
            VmObservation? actual = null;
            try
            {
                actual = await ActualStateAsync(command.VmId, CancellationToken.None);
            }
            catch (Exception inner) when (inner is HypervisorException or IOException)
            {
                // The failure above is what the operator needs; the state stays unknown.
            }

            result = new OperationResultReport(command.OperationId, false, message, actual);
        }

        lock (_gate)
        {
            _operations[command.OperationId] = result;
        }

        outbox.Post(AgentHubMethods.ReportResult, result);
    }

    private async Task ExecuteAsync(AgentCommand command, CancellationToken cancellationToken)
    {
        switch (command.Kind)
        {
            case AgentCommandKind.Create:
                var definition = RequireDefinition(command);
                // Posted synchronously: Progress<T> would post from the thread pool, possibly after the result.
                var progress = new InlineProgress(p =>
                    outbox.Post(AgentHubMethods.ReportProgress, new OperationProgressReport(command.OperationId, command.StartAfterCreate ? p / 2 : p, "creating disk")));
                await hypervisor.CreateAsync(definition, progress, cancellationToken);
                if (command.StartAfterCreate)
                {
                    outbox.Post(AgentHubMethods.ReportProgress, new OperationProgressReport(command.OperationId, 50, "starting"));
                    await hypervisor.StartAsync(definition, cancellationToken);
                }

                break;
            case AgentCommandKind.Start:
                await hypervisor.StartAsync(RequireDefinition(command), cancellationToken);
                break;
            case AgentCommandKind.Stop:
                if (hypervisor is IStopReporting reporting)
                {
                    // Synchronous, so every step is in the outbox before the result.
                    var steps = new InlineProgress<string>(message =>
                        outbox.Post(AgentHubMethods.ReportProgress, new OperationProgressReport(command.OperationId, 50, message)));
                    await reporting.StopAsync(command.VmId, options.Value.StopGracePeriod, steps, cancellationToken);
                }
                else
                {
                    await hypervisor.StopAsync(command.VmId, options.Value.StopGracePeriod, cancellationToken);
                }

                break;
            case AgentCommandKind.ForceStop:
                await hypervisor.ForceStopAsync(command.VmId, cancellationToken);
                break;
            case AgentCommandKind.Reboot:
                await hypervisor.RebootAsync(command.VmId, cancellationToken);
                break;
            case AgentCommandKind.Pause:
                await hypervisor.PauseAsync(command.VmId, cancellationToken);
                break;
            case AgentCommandKind.Resume:
                await hypervisor.ResumeAsync(command.VmId, cancellationToken);
                break;
            case AgentCommandKind.Delete:
                await hypervisor.DeleteAsync(command.VmId, cancellationToken);
                break;
            case AgentCommandKind.Resize:
                await hypervisor.ResizeAsync(
                    RequireDefinition(command),
                    new InlineProgress(p => outbox.Post(AgentHubMethods.ReportProgress, new OperationProgressReport(command.OperationId, p, "resizing"))),
                    cancellationToken);
                break;
            default:
                throw new HypervisorException($"This agent does not know command {command.Kind}.");
        }
    }

    private static VmDefinition RequireDefinition(AgentCommand command) =>
        command.Definition ?? throw new HypervisorException($"{command.Kind} of VM {command.VmId} needs the VM definition.");

    private async Task<VmObservation> ActualStateAsync(VmId vm, CancellationToken cancellationToken)
    {
        var inventory = await hypervisor.ListAsync(cancellationToken);
        return inventory.FirstOrDefault(i => i.VmId == vm)?.State ?? VmObservation.Deleted;
    }

    /// <summary>Reports on the caller's thread, unlike <see cref="Progress{T}"/>, which posts to the thread pool.</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation {OperationId}: {Kind} of VM {VmId}")]
    private static partial void LogRunning(ILogger logger, OperationId operationId, AgentCommandKind kind, VmId vmId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId}: {Kind} of VM {VmId} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, OperationId operationId, AgentCommandKind kind, VmId vmId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operation {OperationId} repeated while {Status}; not running it again")]
    private static partial void LogDuplicate(ILogger logger, OperationId operationId, string status);

    /// <summary>Reports progress on the caller's thread, so reports keep their order with the result that follows.</summary>
    private sealed class InlineProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
