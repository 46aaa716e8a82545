using NovaCron.Domain.Agents;
using NovaCron.Domain.Common;
using NovaCron.Domain.Vms;

namespace NovaCron.Domain.Hypervisors;

/// <summary>The port a node agent implements for one hypervisor (QEMU/KVM through QMP, or the simulated one used for scale tests only).
/// Methods throw <see cref="HypervisorException"/> with a readable message when the hypervisor refuses or fails.</summary>
public interface IHypervisor
{
    /// <summary>The accelerator guests run with on this host: <c>kvm</c> or <c>tcg</c>.</summary>
    string Accelerator { get; }

    /// <summary>Finds VMs that still run from before (pid files and QMP sockets) and attaches to them.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<VmInventoryItem>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Creates the VM's directory and disk. Safe to repeat.</summary>
    Task CreateAsync(VmDefinition definition, IProgress<int> progress, CancellationToken cancellationToken);

    Task StartAsync(VmDefinition definition, CancellationToken cancellationToken);

    /// <summary>ACPI power-down, then quit when the guest has not stopped within <paramref name="gracePeriod"/>.</summary>
    Task StopAsync(VmId vm, TimeSpan gracePeriod, CancellationToken cancellationToken);

    Task ForceStopAsync(VmId vm, CancellationToken cancellationToken);

    Task RebootAsync(VmId vm, CancellationToken cancellationToken);

    Task PauseAsync(VmId vm, CancellationToken cancellationToken);

    Task ResumeAsync(VmId vm, CancellationToken cancellationToken);

    /// <summary>Applies <paramref name="definition"/>'s sizes to a VM that is not running: vCPUs and memory take effect at its
    /// next start, and the disk grows to <see cref="VmDefinition.DiskGiB"/> (a larger disk is left as it is; disks never shrink).</summary>
    Task ResizeAsync(VmDefinition definition, IProgress<int> progress, CancellationToken cancellationToken);

    /// <summary>Stops the process if it runs and removes the VM's disks and directory. Safe to repeat.</summary>
    Task DeleteAsync(VmId vm, CancellationToken cancellationToken);
}

/// <summary>Receives what the hypervisor observes, as it happens.</summary>
public interface IHypervisorEvents
{
    void StateObserved(VmStateReport report);

    void ConsoleOutput(ConsoleChunk chunk);
}

/// <summary>An expected hypervisor failure with a message fit for the operation log.</summary>
public sealed class HypervisorException(string message, Exception? inner = null) : Exception(message, inner);
