namespace NovaCron.NodeAgent.Hypervisor.Qemu;

/// <summary>What <see cref="QemuHypervisor"/> needs from the agent options.</summary>
/// <param name="DataDirectory">Holds <c>vms/</c> and <c>images/</c>.</param>
/// <param name="QemuBinary">qemu-system-x86_64, by name or path.</param>
/// <param name="QemuImgBinary">qemu-img, by name or path.</param>
/// <param name="Accelerator"><c>auto</c>, <c>kvm</c> or <c>tcg</c>; <c>auto</c> is resolved by <see cref="AcceleratorProbe"/>.</param>
public sealed record QemuHypervisorSettings(string DataDirectory, string QemuBinary, string QemuImgBinary, string Accelerator)
{
    public TimeSpan QmpConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan KillTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
