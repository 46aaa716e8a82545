using NovaCron.Domain.Common;

namespace NovaCron.Domain.Vms;

/// <summary>The explicit transitions of a VM. Requests are checked here before anything is sent to a node, so an action
/// not allowed in the current state is refused whole; observations from the agent are the truth and always apply.</summary>
public static class VmStateMachine
{
    private static readonly Dictionary<VmAction, (VmState[] From, VmState To)> Requests = new()
    {
        [VmAction.Start] = ([VmState.Stopped, VmState.Error], VmState.Starting),
        [VmAction.Stop] = ([VmState.Running, VmState.Paused], VmState.Stopping),
        [VmAction.ForceStop] = ([VmState.Running, VmState.Paused, VmState.Starting, VmState.Stopping, VmState.Rebooting], VmState.Stopping),
        [VmAction.Reboot] = ([VmState.Running], VmState.Rebooting),
        [VmAction.Pause] = ([VmState.Running], VmState.Running),
        [VmAction.Resume] = ([VmState.Paused], VmState.Paused),
        [VmAction.Delete] = ([VmState.Stopped, VmState.Running, VmState.Paused, VmState.Error], VmState.Deleting),
    };

    private static readonly Dictionary<VmObservation, VmState> Observations = new()
    {
        [VmObservation.Provisioned] = VmState.Stopped,
        [VmObservation.Running] = VmState.Running,
        [VmObservation.Paused] = VmState.Paused,
        [VmObservation.Stopped] = VmState.Stopped,
        [VmObservation.Deleted] = VmState.Deleted,
        [VmObservation.Failed] = VmState.Error,
    };

    /// <summary>States from which <paramref name="action"/> may be requested.</summary>
    public static IReadOnlyList<VmState> AllowedFrom(VmAction action) => Requests[action].From;

    public static bool CanRequest(VmState state, VmAction action) => Array.IndexOf(Requests[action].From, state) >= 0;

    public static Result<VmState> Request(VmState state, VmAction action)
    {
        if (!CanRequest(state, action))
        {
            var allowed = string.Join(", ", Requests[action].From);
            return Error.Conflict(
                "vm.invalid-state",
                $"Cannot {Describe(action)} a VM that is {state}; it must be one of: {allowed}.");
        }

        return Requests[action].To;
    }

    /// <summary>The state an agent observation leads to. A deleted VM stays deleted whatever arrives late.</summary>
    public static VmState Observe(VmState state, VmObservation observation)
    {
        if (state == VmState.Deleted)
        {
            return VmState.Deleted;
        }

        // While a delete is in flight, a process exit is part of deleting, not a new "stopped" state.
        if (state == VmState.Deleting && observation is VmObservation.Stopped or VmObservation.Running or VmObservation.Paused)
        {
            return VmState.Deleting;
        }

        // During a reboot the guest keeps running: only the agent's completion ends Rebooting.
        return Observations[observation];
    }

    /// <summary>Sizes change only while the guest is off: QEMU reads vCPUs and memory at start, and a disk grows safely
    /// only when no process has it open.</summary>
    public static Result CanResize(VmState state) => state == VmState.Stopped
        ? Result.Success()
        : Error.Conflict("vm.invalid-state", $"Cannot resize a VM that is {state}; stop it first (it must be Stopped).");

    public static bool IsTransitional(VmState state) =>
        state is VmState.Scheduling or VmState.Provisioning or VmState.Starting or VmState.Stopping or VmState.Rebooting or VmState.Deleting;

    public static string Describe(VmAction action) => action switch
    {
        VmAction.ForceStop => "force-stop",
        _ => action.ToString().ToLowerInvariant(),
    };
}
