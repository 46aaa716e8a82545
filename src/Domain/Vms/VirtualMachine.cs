using NovaCron.Domain.Common;
using NovaCron.Domain.Projects;

namespace NovaCron.Domain.Vms;

/// <summary>One recorded state change of a VM.</summary>
public sealed record VmStateChange(VmState From, VmState To, DateTimeOffset At, string Reason);

/// <summary>A virtual machine: desired spec and placement, the last known actual state, and its history.
/// Only one operation acts on a VM at a time (<see cref="ActiveOperationId"/>).</summary>
public sealed class VirtualMachine
{
    private readonly List<VmStateChange> _history = [];

    private VirtualMachine()
    {
        Name = string.Empty;
        Spec = null!;
    }

    public VmId Id { get; private set; }

    public string Name { get; private set; }

    public VmSpec Spec { get; private set; }

    public NodeId? NodeId { get; private set; }

    /// <summary>The project (tenant) the VM belongs to; quotas and permissions apply through it.</summary>
    public ProjectId ProjectId { get; private set; }

    public VmState State { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset StateChangedAt { get; private set; }

    public string? LastError { get; private set; }

    public OperationId? ActiveOperationId { get; private set; }

    /// <summary>The size before a resize that is still being carried out; the resize is undone to it if it fails.</summary>
    public VmSize? ResizeFrom { get; private set; }

    /// <summary>Optimistic concurrency token; bumped on every change.</summary>
    public Guid Version { get; private set; }

    /// <summary>The state changes, oldest first: those loaded with the VM (persistence loads them only when asked) and
    /// those made since.</summary>
    public IReadOnlyList<VmStateChange> History => _history;

    public static Result<VirtualMachine> Create(string name, VmSpec spec, DateTimeOffset now, ProjectId? project = null)
    {
        var validName = ResourceName.Validate(name, "VM");
        if (!validName.IsSuccess)
        {
            return validName.Error!;
        }

        var validSpec = VmSpec.Validate(spec.VCpus, spec.MemoryMiB, spec.DiskGiB, spec.Tags);
        if (!validSpec.IsSuccess)
        {
            return validSpec.Error!;
        }

        var vm = new VirtualMachine
        {
            Id = VmId.New(),
            Name = name,
            Spec = spec,
            ProjectId = project ?? ProjectId.Default,
            State = VmState.Scheduling,
            CreatedAt = now,
            StateChangedAt = now,
            Version = Guid.NewGuid(),
        };
        vm._history.Add(new VmStateChange(VmState.Scheduling, VmState.Scheduling, now, "created"));
        return vm;
    }

    /// <summary>Placement chose a node; the create operation now owns the VM until the disk exists.</summary>
    public Result Place(NodeId node, OperationId operation, DateTimeOffset now)
    {
        if (State != VmState.Scheduling)
        {
            return Error.Conflict("vm.invalid-state", $"Only a VM that is Scheduling can be placed; this one is {State}.");
        }

        NodeId = node;
        ActiveOperationId = operation;
        MoveTo(VmState.Provisioning, now, "placed on node");
        return Result.Success();
    }

    /// <summary>A person asked for <paramref name="action"/>. Refused whole when the state or a running operation forbids it.</summary>
    public Result Request(VmAction action, OperationId operation, DateTimeOffset now)
    {
        if (ActiveOperationId is { } active && action != VmAction.ForceStop && action != VmAction.Delete)
        {
            return Error.Conflict("vm.busy", $"VM '{Name}' is busy with operation {active}; wait for it to finish.");
        }

        var next = VmStateMachine.Request(State, action);
        if (!next.IsSuccess)
        {
            return next.Error!;
        }

        ActiveOperationId = operation;
        Version = Guid.NewGuid();
        if (next.Value != State)
        {
            MoveTo(next.Value, now, $"{VmStateMachine.Describe(action)} requested");
        }

        return Result.Success();
    }

    /// <summary>A person asked for new sizes. The new size holds from now on (so quota and node capacity count it at
    /// once); if the operation fails the VM returns to the old size. Disks only grow: shrinking a disk loses data.</summary>
    public Result RequestResize(VmSize size, OperationId operation, DateTimeOffset now)
    {
        if (ActiveOperationId is { } active)
        {
            return Error.Conflict("vm.busy", $"VM '{Name}' is busy with operation {active}; wait for it to finish.");
        }

        var state = VmStateMachine.CanResize(State);
        if (!state.IsSuccess)
        {
            return state;
        }

        var valid = VmSpec.Validate(size.VCpus, size.MemoryMiB, size.DiskGiB, Spec.Tags);
        if (!valid.IsSuccess)
        {
            return valid;
        }

        if (size.DiskGiB < Spec.DiskGiB)
        {
            return Error.Validation(
                "vm.disk-shrink",
                $"The disk can only grow: it is {Spec.DiskGiB} GiB and {size.DiskGiB} GiB was asked. Shrinking a disk would cut off the data at its end.");
        }

        if (size == Spec.Size)
        {
            return Error.Validation("vm.same-size", $"VM '{Name}' already has {size}.");
        }

        ResizeFrom = Spec.Size;
        Spec = Spec.WithSize(size);
        ActiveOperationId = operation;
        Version = Guid.NewGuid();
        return Result.Success();
    }

    /// <summary>The agent reported a fact about the hypervisor.</summary>
    public void Observe(VmObservation observation, DateTimeOffset now, string reason, string? fault = null)
    {
        var next = VmStateMachine.Observe(State, observation);
        if (observation == VmObservation.Failed)
        {
            LastError = reason;
        }
        else if (fault is not null)
        {
            LastError = fault;
        }
        else if (next is VmState.Running or VmState.Stopped)
        {
            LastError = null;
        }

        if (next != State)
        {
            MoveTo(next, now, reason);
        }
    }

    /// <summary>The operation that owned the VM ended; a failure that left the VM in a transitional state
    /// returns it to the state the agent last reported (<paramref name="actual"/>) and records the reason.</summary>
    public void CompleteOperation(OperationId operation, bool succeeded, VmState? actual, string? error, DateTimeOffset now)
    {
        if (ActiveOperationId != operation)
        {
            return;
        }

        ActiveOperationId = null;
        Version = Guid.NewGuid();
        if (ResizeFrom is { } previous)
        {
            if (!succeeded)
            {
                Spec = Spec.WithSize(previous);
            }

            ResizeFrom = null;
        }

        if (!succeeded)
        {
            LastError = error;
            if (VmStateMachine.IsTransitional(State))
            {
                MoveTo(actual ?? VmState.Error, now, error ?? "operation failed");
            }
        }
        else if (actual is { } state && state != State)
        {
            MoveTo(state, now, "operation completed");
        }
    }

    private void MoveTo(VmState next, DateTimeOffset now, string reason)
    {
        _history.Add(new VmStateChange(State, next, now, reason));
        State = next;
        StateChangedAt = now;
        Version = Guid.NewGuid();
    }
}
