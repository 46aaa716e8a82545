using NovaCron.Domain.Nodes;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Vms;

namespace NovaCron.Web.Realtime;

/// <summary>A node as the UI and the API show it.</summary>
public sealed record NodeView(
    Guid Id,
    string Name,
    string Address,
    NodeStatus Status,
    int VCpus,
    long MemoryMiB,
    long DiskGiB,
    int AllocatedVCpus,
    long AllocatedMemoryMiB,
    long AllocatedDiskGiB,
    DateTimeOffset? LastHeartbeat,
    string AgentVersion,
    string Accelerator,
    IReadOnlyDictionary<string, string> Labels,
    double? CpuLoad,
    long? MemoryUsedMiB)
{
    public static NodeView From(Node node, double? cpuLoad = null, long? memoryUsedMiB = null) => new(
        node.Id.Value,
        node.Name,
        node.Address,
        node.Status,
        node.Capacity.VCpus,
        node.Capacity.MemoryMiB,
        node.Capacity.DiskGiB,
        node.Allocated.VCpus,
        node.Allocated.MemoryMiB,
        node.Allocated.DiskGiB,
        node.LastHeartbeat,
        node.AgentVersion,
        node.Accelerator,
        node.Labels.ToDictionary(),
        cpuLoad,
        memoryUsedMiB);
}

/// <summary>A VM as the UI and the API show it.</summary>
public sealed record VmView(
    Guid Id,
    string Name,
    VmState State,
    int VCpus,
    long MemoryMiB,
    long DiskGiB,
    Guid ImageId,
    string ImageName,
    IReadOnlyList<string> Tags,
    Guid? NodeId,
    string? NodeName,
    DateTimeOffset CreatedAt,
    DateTimeOffset StateChangedAt,
    string? LastError,
    Guid? ActiveOperationId,
    Guid ProjectId,
    string ProjectName)
{
    public static VmView From(VirtualMachine vm, string imageName, string? nodeName, string projectName) => new(
        vm.Id.Value,
        vm.Name,
        vm.State,
        vm.Spec.VCpus,
        vm.Spec.MemoryMiB,
        vm.Spec.DiskGiB,
        vm.Spec.ImageId.Value,
        imageName,
        vm.Spec.Tags,
        vm.NodeId?.Value,
        nodeName,
        vm.CreatedAt,
        vm.StateChangedAt,
        vm.LastError,
        vm.ActiveOperationId?.Value,
        vm.ProjectId.Value,
        projectName);
}

/// <summary>An operation (task) without its log.</summary>
public sealed record OperationView(
    Guid Id,
    string Kind,
    Guid? VmId,
    Guid? NodeId,
    string TargetName,
    string RequestedBy,
    OperationStatus Status,
    int Progress,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    string? Error,
    Guid? ProjectId = null)
{
    public static OperationView From(Operation operation) => new(
        operation.Id.Value,
        operation.Kind,
        operation.VmId?.Value,
        operation.NodeId?.Value,
        operation.TargetName,
        operation.RequestedBy,
        operation.Status,
        operation.Progress,
        operation.QueuedAt,
        operation.StartedAt,
        operation.EndedAt,
        operation.Error,
        operation.ProjectId?.Value);
}

/// <summary>An operation with its log lines.</summary>
public sealed record OperationDetail(OperationView Operation, IReadOnlyList<OperationLogLine> Log);

/// <summary>A VM with its state history.</summary>
public sealed record VmDetail(VmView Vm, IReadOnlyList<VmStateChange> History);
