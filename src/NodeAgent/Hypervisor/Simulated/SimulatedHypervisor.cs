using System.Collections.Concurrent;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Common;
using NovaCron.Domain.Hypervisors;
using NovaCron.Domain.Vms;

namespace NovaCron.NodeAgent.Hypervisor.Simulated;

/// <summary>An in-memory hypervisor for scale tests only (hundreds of agents on one machine): it starts no
/// processes and keeps nothing across restarts. Never use it to prove hypervisor behaviour; tests of that run real QEMU.</summary>
public sealed class SimulatedHypervisor(IHypervisorEvents events) : IHypervisor
{
    private readonly ConcurrentDictionary<VmId, (string Name, VmObservation State)> _vms = new();

    public string Accelerator => "simulated";

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<VmInventoryItem>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<VmInventoryItem>>([.. _vms.Select(v => new VmInventoryItem(v.Key, v.Value.Name, v.Value.State, null))]);

    public Task CreateAsync(VmDefinition definition, IProgress<int> progress, CancellationToken cancellationToken)
    {
        _vms.TryAdd(definition.VmId, (definition.Name, VmObservation.Provisioned));
        progress.Report(100);
        return Report(definition.VmId, VmObservation.Provisioned);
    }

    public Task StartAsync(VmDefinition definition, CancellationToken cancellationToken)
    {
        _vms[definition.VmId] = (definition.Name, VmObservation.Running);
        return Report(definition.VmId, VmObservation.Running);
    }

    public Task ResizeAsync(VmDefinition definition, IProgress<int> progress, CancellationToken cancellationToken)
    {
        if (!_vms.TryGetValue(definition.VmId, out var current) || current.State != VmObservation.Stopped && current.State != VmObservation.Provisioned)
        {
            throw new HypervisorException($"VM {definition.VmId} is not a stopped VM on this node.");
        }

        progress.Report(100);
        return Task.CompletedTask;
    }

    public Task StopAsync(VmId vm, TimeSpan gracePeriod, CancellationToken cancellationToken) => Set(vm, VmObservation.Stopped);

    public Task ForceStopAsync(VmId vm, CancellationToken cancellationToken) => Set(vm, VmObservation.Stopped);

    public Task RebootAsync(VmId vm, CancellationToken cancellationToken) => Set(vm, VmObservation.Running);

    public Task PauseAsync(VmId vm, CancellationToken cancellationToken) => Set(vm, VmObservation.Paused);

    public Task ResumeAsync(VmId vm, CancellationToken cancellationToken) => Set(vm, VmObservation.Running);

    public Task DeleteAsync(VmId vm, CancellationToken cancellationToken)
    {
        _vms.TryRemove(vm, out _);
        return Report(vm, VmObservation.Deleted);
    }

    private Task Set(VmId vm, VmObservation state)
    {
        if (!_vms.TryGetValue(vm, out var current))
        {
            throw new HypervisorException($"VM {vm} does not exist on this node.");
        }

        _vms[vm] = (current.Name, state);
        return Report(vm, state);
    }

    private Task Report(VmId vm, VmObservation state)
    {
        events.StateObserved(new VmStateReport(vm, state, "simulated", DateTimeOffset.UtcNow));
        return Task.CompletedTask;
    }
}
