using System.Diagnostics;
using NovaCron.Domain.Common;
using NovaCron.Domain.Vms;

namespace NovaCron.NodeAgent.Hypervisor.Qemu;

/// <summary>A QEMU process the hypervisor is attached to: started by this agent or re-attached after a restart.</summary>
internal sealed class QemuVm(VmId id, string name, string directory)
{
    private int _exited;

    public VmId Id { get; } = id;

    public string Name { get; } = name;

    public string Directory { get; } = directory;

    /// <summary>The process handle when this agent started QEMU; null after a re-attach.</summary>
    public Process? Process { get; set; }

    public int? Pid { get; set; }

    public QmpClient? Qmp { get; set; }

    public ConsoleTail? Console { get; set; }

    public VmObservation State { get; set; } = VmObservation.Stopped;

    /// <summary>Set once a power-down or quit was asked for (or the guest shut down): a STOP then is not a pause.</summary>
    public volatile bool ShuttingDown;

    /// <summary>Set when a force-stop or delete quits QEMU, so a graceful stop waiting at the same time can say why it ended.</summary>
    public volatile bool ForceStopped;

    public TaskCompletionSource Exited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public object Gate { get; } = new();

    public bool MarkExited() => Interlocked.Exchange(ref _exited, 1) == 0;
}
