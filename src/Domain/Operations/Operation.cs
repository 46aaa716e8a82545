using NovaCron.Domain.Common;
using NovaCron.Domain.Projects;

namespace NovaCron.Domain.Operations;

public enum OperationStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>Stable names of operation kinds; they are stored, so renaming one needs a data migration.</summary>
public static class OperationKinds
{
    public const string VmCreate = "vm.create";
    public const string VmStart = "vm.start";
    public const string VmStop = "vm.stop";
    public const string VmForceStop = "vm.force-stop";
    public const string VmReboot = "vm.reboot";
    public const string VmPause = "vm.pause";
    public const string VmResume = "vm.resume";
    public const string VmDelete = "vm.delete";
    public const string VmResize = "vm.resize";
}

/// <summary>One line of an operation's log.</summary>
public sealed record OperationLogLine(DateTimeOffset At, string Message);

/// <summary>The task log entry of a state change: who asked for what on which target, and how it went.</summary>
public sealed class Operation
{
    public const int MaxLogLines = 500;

    private readonly List<OperationLogLine> _log = [];

    private Operation()
    {
        Kind = string.Empty;
        TargetName = string.Empty;
        RequestedBy = string.Empty;
    }

    public OperationId Id { get; private set; }

    public string Kind { get; private set; }

    public VmId? VmId { get; private set; }

    public NodeId? NodeId { get; private set; }

    /// <summary>The project of the target, so the task log is scoped like the VMs it is about.</summary>
    public ProjectId? ProjectId { get; private set; }

    public string TargetName { get; private set; }

    public string RequestedBy { get; private set; }

    public OperationStatus Status { get; private set; }

    /// <summary>0 to 100.</summary>
    public int Progress { get; private set; }

    public DateTimeOffset QueuedAt { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? EndedAt { get; private set; }

    public string? Error { get; private set; }

    /// <summary>When a Queued or Running operation is given up as failed, so nothing stays in progress forever.</summary>
    public DateTimeOffset Deadline { get; private set; }

    public IReadOnlyList<OperationLogLine> Log => _log;

    public bool IsFinished => Status is OperationStatus.Succeeded or OperationStatus.Failed or OperationStatus.Cancelled;

    public static Operation Queue(string kind, VmId? vm, NodeId? node, string targetName, string requestedBy, DateTimeOffset now, TimeSpan timeout, ProjectId? project = null)
    {
        var operation = new Operation
        {
            Id = OperationId.New(),
            Kind = kind,
            VmId = vm,
            ProjectId = project,
            NodeId = node,
            TargetName = targetName,
            RequestedBy = requestedBy,
            Status = OperationStatus.Queued,
            QueuedAt = now,
            Deadline = now + timeout,
        };
        operation.Append(now, $"{kind} queued by {requestedBy}");
        return operation;
    }

    public void Start(DateTimeOffset now)
    {
        if (Status != OperationStatus.Queued)
        {
            return;
        }

        Status = OperationStatus.Running;
        StartedAt = now;
        Append(now, "started");
    }

    public void ReportProgress(int percent, string? message, DateTimeOffset now)
    {
        if (IsFinished)
        {
            return;
        }

        Start(now);
        Progress = Math.Clamp(percent, Progress, 100);
        // A step reports its percentage many times under one message: the log keeps the step once.
        if (!string.IsNullOrEmpty(message) && (Log.Count == 0 || Log[^1].Message != message))
        {
            Append(now, message);
        }
    }

    public void Succeed(DateTimeOffset now, string? message = null)
    {
        if (IsFinished)
        {
            return;
        }

        Start(now);
        Status = OperationStatus.Succeeded;
        Progress = 100;
        EndedAt = now;
        Append(now, message ?? "succeeded");
    }

    public void Fail(string error, DateTimeOffset now)
    {
        if (IsFinished)
        {
            return;
        }

        Status = OperationStatus.Failed;
        Error = error;
        EndedAt = now;
        Append(now, $"failed: {error}");
    }

    public void Append(DateTimeOffset now, string message)
    {
        if (_log.Count >= MaxLogLines)
        {
            _log.RemoveAt(1);
        }

        _log.Add(new OperationLogLine(now, message));
    }
}
