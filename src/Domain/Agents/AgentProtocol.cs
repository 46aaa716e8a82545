using NovaCron.Domain.Common;
using NovaCron.Domain.Vms;

namespace NovaCron.Domain.Agents;

/// <summary>Version 1 of the protocol between node agents and the control plane's agent hub (<c>/hubs/agents</c>).
/// The agent connects out with <c>Authorization: Bearer &lt;node credential&gt;</c> and calls
/// <see cref="AgentHubMethods.Register"/> on every (re)connect. Without a credential it first connects with an
/// enrollment token and calls <see cref="AgentHubMethods.Enroll"/>, which is all such a connection may do.</summary>
public static class AgentProtocol
{
    public const int Version = 1;
    public const string HubPath = "/hubs/agents";
}

/// <summary>Hub methods the agent invokes on the control plane.</summary>
public static class AgentHubMethods
{
    public const string Register = "Register";
    public const string Heartbeat = "Heartbeat";
    public const string ReportVmState = "ReportVmState";
    public const string ReportProgress = "ReportProgress";
    public const string ReportResult = "ReportResult";
    public const string ReportConsole = "ReportConsole";

    /// <summary>Trades the enrollment token of this connection for a node credential (<see cref="EnrollRequest"/> →
    /// <see cref="EnrollResult"/>). The only method a connection holding an enrollment token may call.</summary>
    public const string Enroll = "Enroll";
}

/// <summary>Client methods the control plane invokes on an agent.</summary>
public static class AgentClientMethods
{
    public const string Execute = "Execute";
}

/// <summary>Asks to join the cluster as <paramref name="NodeName"/>; sent on a connection authenticated with an
/// enrollment token (the control plane's bootstrap token or an <c>nce_…</c> token an administrator created).</summary>
/// <param name="NodeName">The node's name: 1-63 lower-case letters, digits or '-'.</param>
public sealed record EnrollRequest(string NodeName);

/// <summary>The node credential (<c>ncn_…</c>), returned exactly once. The agent keeps it in
/// <c>&lt;data directory&gt;/agent/credential</c> and authenticates every later connection with it; it is valid only
/// for <paramref name="NodeName"/>.</summary>
/// <param name="CredentialSecret">The bearer secret; the control plane stores only its hash.</param>
/// <param name="NodeName">The node the credential speaks for.</param>
public sealed record EnrollResult(string CredentialSecret, string NodeName);

/// <summary>Host resources the agent read from the machine.</summary>
public sealed record HostCapacity(int VCpus, long MemoryMiB, long DiskGiB);

/// <summary>What the agent sees of one VM on its host.</summary>
public sealed record VmInventoryItem(VmId VmId, string Name, VmObservation State, int? Pid);

/// <summary>Sent on every (re)connect: who the host is and everything it runs, so the control plane can reconcile.</summary>
public sealed record AgentHello(
    int ProtocolVersion,
    string NodeName,
    string Address,
    HostCapacity Capacity,
    string AgentVersion,
    string Accelerator,
    IReadOnlyList<VmInventoryItem> Inventory);

/// <summary>The control plane's answer to <see cref="AgentHello"/>.</summary>
public sealed record AgentWelcome(NodeId NodeId, TimeSpan HeartbeatInterval, IReadOnlyList<AgentCommand> PendingCommands);

/// <summary>Periodic liveness with current host load.</summary>
public sealed record AgentHeartbeat(DateTimeOffset At, double CpuLoad, long MemoryUsedMiB, int RunningVms);

/// <summary>A fact the agent observed about a VM (QMP event, QMP status, process exit). <paramref name="Fault"/> says
/// what went wrong when the observation was not asked for, for example QEMU dying with a non-zero exit code while
/// nobody stopped it; the VM then shows it as its last error.</summary>
public sealed record VmStateReport(VmId VmId, VmObservation State, string Reason, DateTimeOffset At, string? Fault = null);

/// <summary>Console output of a VM's serial port, as text.</summary>
public sealed record ConsoleChunk(VmId VmId, string Text, DateTimeOffset At);

/// <summary>How a VM boots.</summary>
public sealed record BootSource(string Kind, string Path, string Format, string? InitrdPath, string? KernelCommandLine)
{
    public const string DiskKind = "disk";
    public const string KernelKind = "kernel";
}

/// <summary>Everything the agent needs to create or start a VM.</summary>
public sealed record VmDefinition(VmId VmId, string Name, int VCpus, long MemoryMiB, long DiskGiB, BootSource Boot);

public enum AgentCommandKind
{
    Create,
    Start,
    Stop,
    ForceStop,
    Reboot,
    Pause,
    Resume,
    Delete,

    /// <summary>Applies new sizes to a stopped VM: the definition is rewritten and the disk grown to
    /// <see cref="VmDefinition.DiskGiB"/>.</summary>
    Resize,
}

/// <summary>A command for an agent. Idempotent by <see cref="OperationId"/>: the agent answers a repeated command with
/// the result it already has instead of acting twice.</summary>
public sealed record AgentCommand(OperationId OperationId, AgentCommandKind Kind, VmId VmId, VmDefinition? Definition, bool StartAfterCreate);

/// <summary>Progress of a running command.</summary>
public sealed record OperationProgressReport(OperationId OperationId, int Percent, string Message);

/// <summary>How a command ended, with the VM state the agent sees afterwards.</summary>
public sealed record OperationResultReport(OperationId OperationId, bool Succeeded, string? Error, VmObservation? ActualState);
