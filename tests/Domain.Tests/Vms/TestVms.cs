using NovaCron.Domain.Common;
using NovaCron.Domain.Vms;

namespace NovaCron.Domain.Tests.Vms;

/// <summary>VMs brought into a given state through the same calls the control plane makes.</summary>
internal static class TestVms
{
    public static VmSpec Spec() => new(1, 256, 1, ImageId.New(), []);

    public static VirtualMachine Stopped(DateTimeOffset now)
    {
        var vm = VirtualMachine.Create("vm", Spec(), now).Value!;
        var create = OperationId.New();
        vm.Place(Common.NodeId.New(), create, now);
        vm.Observe(VmObservation.Provisioned, now, "disk created");
        vm.CompleteOperation(create, succeeded: true, VmState.Stopped, null, now);
        return vm;
    }

    public static VirtualMachine Running(DateTimeOffset now)
    {
        var vm = Stopped(now);
        var start = OperationId.New();
        vm.Request(VmAction.Start, start, now);
        vm.Observe(VmObservation.Running, now, "running");
        vm.CompleteOperation(start, succeeded: true, VmState.Running, null, now);
        return vm;
    }
}
