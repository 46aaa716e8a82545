namespace NovaCron.Web.Realtime;

/// <summary>A change in the cluster, published on the in-process feed and forwarded to <c>/hubs/events</c>.</summary>
public abstract record ClusterEvent(DateTimeOffset At);

public sealed record NodeChanged(NodeView Node, DateTimeOffset At) : ClusterEvent(At);

public sealed record VmChanged(VmView Vm, DateTimeOffset At) : ClusterEvent(At);

public sealed record OperationChanged(OperationView Operation, string? LogLine, DateTimeOffset At) : ClusterEvent(At);

public sealed record ConsoleAppended(Guid VmId, string Text, DateTimeOffset At, Guid ProjectId) : ClusterEvent(At);

public sealed record AuditRecorded(Guid Id, DateTimeOffset At) : ClusterEvent(At);
