using NovaCron.Domain.Common;
using NovaCron.Domain.Nodes;
using NovaCron.Domain.Placement;
using NovaCron.Domain.Projects;
using NovaCron.Domain.Vms;

namespace NovaCron.Domain.Tests.Vms;

public sealed class VmResizeTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RequestResize_StoppedVm_TakesNewSizeAndRemembersOld()
    {
        var vm = TestVms.Stopped(Now);
        var operation = OperationId.New();

        var result = vm.RequestResize(new VmSize(2, 512, 3), operation, Now);

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(new VmSize(2, 512, 3), vm.Spec.Size);
        Assert.Equal(new VmSize(1, 256, 1), vm.ResizeFrom);
        Assert.Equal(operation, vm.ActiveOperationId);
        Assert.Equal(VmState.Stopped, vm.State);
    }

    [Fact]
    public void CompleteOperation_ResizeFailed_ReturnsToOldSize()
    {
        var vm = TestVms.Stopped(Now);
        var operation = OperationId.New();
        vm.RequestResize(new VmSize(2, 512, 3), operation, Now);

        vm.CompleteOperation(operation, succeeded: false, VmState.Stopped, "qemu-img failed", Now);

        Assert.Equal(new VmSize(1, 256, 1), vm.Spec.Size);
        Assert.Null(vm.ResizeFrom);
        Assert.Null(vm.ActiveOperationId);
        Assert.Equal("qemu-img failed", vm.LastError);
    }

    [Fact]
    public void CompleteOperation_ResizeSucceeded_KeepsNewSize()
    {
        var vm = TestVms.Stopped(Now);
        var operation = OperationId.New();
        vm.RequestResize(new VmSize(2, 512, 3), operation, Now);

        vm.CompleteOperation(operation, succeeded: true, VmState.Stopped, null, Now);

        Assert.Equal(new VmSize(2, 512, 3), vm.Spec.Size);
        Assert.Null(vm.ResizeFrom);
    }

    [Fact]
    public void RequestResize_RunningVm_RefusedAndUnchanged()
    {
        var vm = TestVms.Running(Now);

        var result = vm.RequestResize(new VmSize(2, 512, 1), OperationId.New(), Now);

        Assert.Equal("vm.invalid-state", result.Error?.Code);
        Assert.Contains("Running", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(new VmSize(1, 256, 1), vm.Spec.Size);
        Assert.Null(vm.ActiveOperationId);
    }

    [Fact]
    public void RequestResize_SmallerDisk_RefusedSayingDisksOnlyGrow()
    {
        var vm = TestVms.Stopped(Now);
        vm.RequestResize(new VmSize(1, 256, 4), OperationId.New(), Now);
        vm.CompleteOperation(vm.ActiveOperationId!.Value, true, VmState.Stopped, null, Now);

        var result = vm.RequestResize(new VmSize(1, 256, 2), OperationId.New(), Now);

        Assert.Equal("vm.disk-shrink", result.Error?.Code);
        Assert.Equal(4, vm.Spec.DiskGiB);
    }

    [Theory]
    [InlineData(0, 256, 1, "vm.vcpus")]
    [InlineData(1, 64, 1, "vm.memory")]
    [InlineData(1, 256, 1, "vm.same-size")]
    public void RequestResize_InvalidSize_Refused(int vcpus, long memoryMiB, long diskGiB, string code)
    {
        var vm = TestVms.Stopped(Now);

        var result = vm.RequestResize(new VmSize(vcpus, memoryMiB, diskGiB), OperationId.New(), Now);

        Assert.Equal(code, result.Error?.Code);
        Assert.Null(vm.ResizeFrom);
    }

    [Fact]
    public void RequestResize_WhileAnotherOperationRuns_RefusedAsBusy()
    {
        var vm = TestVms.Stopped(Now);
        vm.RequestResize(new VmSize(2, 256, 1), OperationId.New(), Now);

        var result = vm.RequestResize(new VmSize(3, 256, 1), OperationId.New(), Now);

        Assert.Equal("vm.busy", result.Error?.Code);
        Assert.Equal(2, vm.Spec.VCpus);
    }

    [Fact]
    public void AdmitResize_GrowthOverQuota_RefusedNamingLimitAndExcess()
    {
        var project = Project.Create("team", "", new Quota(null, null, 1024, null), Now).Value!;
        var usage = new ProjectUsage(2, 2, 768, 2);

        var result = project.AdmitResize(usage, new Capacity(1, 256, 1), new Capacity(1, 768, 1));

        Assert.Equal("quota.exceeded", result.Error?.Code);
        Assert.Contains("memory quota by 256 MiB", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AdmitResize_ProjectAlreadyOverLoweredQuota_MayStillShrink()
    {
        var project = Project.Create("team", "", new Quota(null, 2, 512, null), Now).Value!;
        var usage = new ProjectUsage(2, 4, 768, 2);

        var result = project.AdmitResize(usage, new Capacity(2, 512, 1), new Capacity(1, 256, 1));

        Assert.True(result.IsSuccess, result.Error?.Message);
    }

    [Fact]
    public void FitsResize_NodeShortOfMemory_RefusedNamingWhatIsAvailable()
    {
        var node = Node.Register("node-a", "127.0.0.1", new Capacity(2, 1024, 20), "1.0", "tcg", Now).Value!;
        node.SetAllocation(new Capacity(2, 1024, 2));

        var refused = MostFreeMemoryPlacement.FitsResize(node, new Capacity(1, 512, 1), new Capacity(1, 768, 1));
        var fits = MostFreeMemoryPlacement.FitsResize(node, new Capacity(1, 512, 1), new Capacity(2, 512, 5));

        Assert.Equal("placement.no-capacity", refused.Error?.Code);
        Assert.Contains("memory (512 MiB available to this VM)", refused.Error!.Message, StringComparison.Ordinal);
        Assert.True(fits.IsSuccess, fits.Error?.Message);
    }

    [Fact]
    public void FitsResize_LargerThanTheNode_RefusedAsValidation()
    {
        var node = Node.Register("node-a", "127.0.0.1", new Capacity(2, 1024, 20), "1.0", "tcg", Now).Value!;

        var result = MostFreeMemoryPlacement.FitsResize(node, new Capacity(1, 256, 1), new Capacity(4, 256, 1));

        Assert.Equal(ErrorKind.Validation, result.Error?.Kind);
    }
}
