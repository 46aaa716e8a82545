using NovaCron.Domain.Common;
using NovaCron.Domain.Images;
using NovaCron.Domain.Vms;

namespace NovaCron.Domain.Tests.Vms;

public sealed class VmStateMachineTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(VmState.Stopped, VmAction.Start, VmState.Starting)]
    [InlineData(VmState.Error, VmAction.Start, VmState.Starting)]
    [InlineData(VmState.Running, VmAction.Stop, VmState.Stopping)]
    [InlineData(VmState.Paused, VmAction.Stop, VmState.Stopping)]
    [InlineData(VmState.Starting, VmAction.ForceStop, VmState.Stopping)]
    [InlineData(VmState.Running, VmAction.Reboot, VmState.Rebooting)]
    [InlineData(VmState.Running, VmAction.Delete, VmState.Deleting)]
    [InlineData(VmState.Stopped, VmAction.Delete, VmState.Deleting)]
    public void Request_AllowedAction_MovesToExpectedState(VmState from, VmAction action, VmState expected)
    {
        var result = VmStateMachine.Request(from, action);

        Assert.True(result.IsSuccess);
        Assert.Equal(expected, result.Value);
    }

    [Theory]
    [InlineData(VmState.Stopped, VmAction.Stop)]
    [InlineData(VmState.Stopped, VmAction.Pause)]
    [InlineData(VmState.Running, VmAction.Start)]
    [InlineData(VmState.Running, VmAction.Resume)]
    [InlineData(VmState.Paused, VmAction.Pause)]
    [InlineData(VmState.Deleting, VmAction.Start)]
    [InlineData(VmState.Deleted, VmAction.Delete)]
    [InlineData(VmState.Provisioning, VmAction.Reboot)]
    public void Request_ActionNotAllowed_RefusedWithReadableMessage(VmState from, VmAction action)
    {
        var result = VmStateMachine.Request(from, action);

        Assert.False(result.IsSuccess);
        Assert.Equal("vm.invalid-state", result.Error!.Code);
        Assert.Contains(from.ToString(), result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_LateReportAfterDelete_StaysDeleted()
    {
        Assert.Equal(VmState.Deleted, VmStateMachine.Observe(VmState.Deleted, VmObservation.Running));
    }

    [Fact]
    public void Observe_ProcessExitWhileDeleting_StaysDeleting()
    {
        Assert.Equal(VmState.Deleting, VmStateMachine.Observe(VmState.Deleting, VmObservation.Stopped));
    }

    [Fact]
    public void Request_WhileAnotherOperationOwnsTheVm_RefusedAndStateUnchanged()
    {
        var vm = RunningVm();
        Assert.True(vm.Request(VmAction.Pause, OperationId.New(), Now).IsSuccess);

        var second = vm.Request(VmAction.Reboot, OperationId.New(), Now);

        Assert.False(second.IsSuccess);
        Assert.Equal("vm.busy", second.Error!.Code);
        Assert.Equal(VmState.Running, vm.State);
    }

    [Fact]
    public void CompleteOperation_FailedStart_ReturnsToReportedStateWithError()
    {
        var vm = StoppedVm();
        var start = OperationId.New();
        vm.Request(VmAction.Start, start, Now);
        Assert.Equal(VmState.Starting, vm.State);

        vm.CompleteOperation(start, succeeded: false, VmState.Stopped, "qemu refused to start", Now);

        Assert.Equal(VmState.Stopped, vm.State);
        Assert.Equal("qemu refused to start", vm.LastError);
        Assert.Null(vm.ActiveOperationId);
    }

    [Fact]
    public void Observe_Transitions_AreRecordedInHistory()
    {
        var vm = StoppedVm();
        vm.Request(VmAction.Start, OperationId.New(), Now);
        vm.Observe(VmObservation.Running, Now.AddSeconds(1), "QMP status running");

        Assert.Equal(VmState.Running, vm.State);
        Assert.Contains(vm.History, h => h.From == VmState.Starting && h.To == VmState.Running && h.Reason == "QMP status running");
    }

    [Theory]
    [InlineData("web-01", true)]
    [InlineData("a", true)]
    [InlineData("Web", false)]
    [InlineData("-web", false)]
    [InlineData("web-", false)]
    [InlineData("web_01", false)]
    [InlineData("", false)]
    public void Create_Name_IsValidatedAsDnsLabel(string name, bool valid)
    {
        var result = VirtualMachine.Create(name, TestVms.Spec(), Now);

        Assert.Equal(valid, result.IsSuccess);
    }

    [Theory]
    [InlineData(0, 256, 1)]
    [InlineData(1, 32, 1)]
    [InlineData(1, 256, 0)]
    [InlineData(999, 256, 1)]
    public void Create_SizeOutOfRange_Refused(int vcpus, long memory, long disk)
    {
        var result = VirtualMachine.Create("vm", TestVms.Spec() with { VCpus = vcpus, MemoryMiB = memory, DiskGiB = disk }, Now);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorKind.Validation, result.Error!.Kind);
    }

    private static VirtualMachine StoppedVm() => TestVms.Stopped(Now);

    private static VirtualMachine RunningVm() => TestVms.Running(Now);
}
