using NovaCron.Domain.Common;

namespace NovaCron.NodeAgent.Hypervisor;

/// <summary>A hypervisor whose graceful stop tells the operation log how it went: that the guest was resumed first, that
/// the grace period ran out and QEMU was quit (so the stop was not graceful), or that a force-stop or delete cut the
/// wait short.</summary>
public interface IStopReporting
{
    /// <summary>As <see cref="NovaCron.Domain.Hypervisors.IHypervisor.StopAsync"/>, reporting each notable step to
    /// <paramref name="progress"/> synchronously, before the returned task completes.</summary>
    Task StopAsync(VmId vm, TimeSpan gracePeriod, IProgress<string> progress, CancellationToken cancellationToken);
}
