namespace NovaCron.Domain.Vms;

/// <summary>Lifecycle state of a VM. Transitional states (Scheduling, Provisioning, Starting, Stopping, Rebooting, Deleting)
/// are owned by one operation and have a deadline; see <see cref="VmStateMachine"/>.</summary>
public enum VmState
{
    Scheduling,
    Provisioning,
    Stopped,
    Starting,
    Running,
    Stopping,
    Paused,
    Rebooting,
    Deleting,
    Deleted,
    Error,
}

/// <summary>What a person can ask of a VM.</summary>
public enum VmAction
{
    Start,
    Stop,
    ForceStop,
    Reboot,
    Pause,
    Resume,
    Delete,
}

/// <summary>What the node agent saw the hypervisor do; these are facts, not requests.</summary>
public enum VmObservation
{
    Provisioned,
    Running,
    Paused,
    Stopped,
    Deleted,
    Failed,
}
