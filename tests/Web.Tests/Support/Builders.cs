using NovaCron.Domain.Vms;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Tests.Support;

/// <summary>Test data for the views the UI shows.</summary>
internal static class Builders
{
    public static VmView Vm(string name, VmState state = VmState.Running, Guid? id = null) => new(
        id ?? Guid.NewGuid(),
        name,
        state,
        VCpus: 1,
        MemoryMiB: 256,
        DiskGiB: 1,
        ImageId: Guid.NewGuid(),
        ImageName: "test-guest",
        Tags: ["web"],
        NodeId: Guid.NewGuid(),
        NodeName: "node-a",
        CreatedAt: DateTimeOffset.UtcNow,
        StateChangedAt: DateTimeOffset.UtcNow,
        LastError: null,
        ActiveOperationId: null,
        ProjectId: Domain.Projects.ProjectId.Default.Value,
        ProjectName: "default");

    public static VmChanged Changed(VmView vm) => new(vm, DateTimeOffset.UtcNow);
}
