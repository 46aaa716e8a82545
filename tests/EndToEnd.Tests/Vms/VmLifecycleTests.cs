using System.Net;
using System.Net.Http.Json;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Vms;
using NovaCron.Testing;
using NovaCron.Web.Realtime;

namespace NovaCron.EndToEnd.Tests.Vms;

/// <summary>The whole command and state flow with a real agent and a real QEMU guest.</summary>
public sealed class VmLifecycleTests : IAsyncLifetime
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(90);
    private NovaCronStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await NovaCronStack.StartAsync();

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task CreateVm_ThroughApi_GuestBootsThenStopAndDeleteLeaveNothingBehind()
    {
        var vm = await CreateAsync("boot-test");

        await _stack.WaitForVmStateAsync(vm.Id, VmState.Running, BootTimeout);
        var console = await Eventually.GetAsync(() => _stack.ConsoleAsync(vm.Id)!, c => c?.Contains("NOVACRON-GUEST BOOTED", StringComparison.Ordinal) == true, BootTimeout, "the guest's boot line");
        Assert.Contains("kernel=", console, StringComparison.Ordinal);
        var vmDirectory = Path.Combine(_stack.DataDirectory, "vms", vm.Id.ToString());
        Assert.True(Directory.Exists(vmDirectory));
        Assert.NotEmpty(NovaCronStack.QemuProcessesUnder(vmDirectory));

        var stop = await _stack.Api.PostAsync($"/api/v1/vms/{vm.Id}/stop", null);
        Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Stopped, TimeSpan.FromSeconds(60));
        Assert.Empty(NovaCronStack.QemuProcessesUnder(vmDirectory));

        var delete = await _stack.Api.DeleteAsync($"/api/v1/vms/{vm.Id}");
        Assert.Equal(HttpStatusCode.Accepted, delete.StatusCode);
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Deleted, TimeSpan.FromSeconds(60));
        Assert.False(Directory.Exists(vmDirectory), "the VM's directory and disk are removed");
        Assert.Empty(NovaCronStack.QemuProcessesUnder(_stack.DataDirectory));

        // The history is read from its own table for the detail: whole, oldest first, ending in the deletion.
        var history = (await _stack.GetAsync<VmDetail>($"/api/v1/vms/{vm.Id}"))!.History;
        var states = history.Select(h => h.To).ToList();
        Assert.Equal(VmState.Scheduling, states[0]);
        Assert.Equal(VmState.Deleted, states[^1]);
        Assert.True(states.IndexOf(VmState.Running) < states.LastIndexOf(VmState.Stopped), string.Join(" → ", states));
        Assert.Equal(history.OrderBy(h => h.At).Select(h => h.At), history.Select(h => h.At));

        var operations = await _stack.GetAsync<NovaCronStack.PageOf<OperationView>>($"/api/v1/operations?vmId={vm.Id}");
        Assert.Equal(3, operations!.Items.Count(o => o.Status == OperationStatus.Succeeded));
        var deleteOperation = await _stack.GetAsync<OperationDetail>($"/api/v1/operations/{operations.Items.First(o => o.Kind == OperationKinds.VmDelete).Id}");
        Assert.Contains(deleteOperation!.Log, l => l.Message.Contains("succeeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PauseResumeRebootForceStop_OnRunningGuest_StatesFollowQmp()
    {
        var vm = await CreateAsync("power-test");
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Running, BootTimeout);

        await ActAsync(vm.Id, "pause");
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Paused, TimeSpan.FromSeconds(30));

        var refused = await _stack.Api.PostAsync($"/api/v1/vms/{vm.Id}/pause", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);

        await ActAsync(vm.Id, "resume");
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Running, TimeSpan.FromSeconds(30));

        await ActAsync(vm.Id, "reboot");
        await Eventually.TrueAsync(
            async () => (await _stack.GetVmAsync(vm.Id)) is { State: VmState.Running, ActiveOperationId: null },
            TimeSpan.FromSeconds(30),
            "reboot finished");

        await ActAsync(vm.Id, "force-stop");
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Stopped, TimeSpan.FromSeconds(30));
        Assert.Empty(NovaCronStack.QemuProcessesUnder(_stack.DataDirectory));

        await ActAsync(vm.Id, "start");
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Running, BootTimeout);
    }

    [Fact]
    public async Task AgentRestart_WithRunningGuest_GuestKeepsRunningAndStaysManaged()
    {
        var vm = await CreateAsync("restart-test");
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Running, BootTimeout);
        var before = NovaCronStack.QemuProcessesUnder(_stack.DataDirectory);
        Assert.Single(before);

        await _stack.StopAgentAsync();
        Assert.Equal(before, NovaCronStack.QemuProcessesUnder(_stack.DataDirectory));

        await _stack.StartAgentAsync();
        await _stack.WaitForNodeOnlineAsync();
        Assert.Equal(before, NovaCronStack.QemuProcessesUnder(_stack.DataDirectory));
        Assert.Equal(VmState.Running, (await _stack.GetVmAsync(vm.Id)).State);

        // Still managed: the re-attached agent pauses it through QMP.
        await ActAsync(vm.Id, "pause");
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Paused, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task QemuKilled_WhileRunning_VmStoppedWithTheFaultAsLastErrorUntilNextStart()
    {
        var vm = await CreateAsync("crash-test");
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Running, BootTimeout);
        var pid = Assert.Single(NovaCronStack.QemuProcessesUnder(_stack.DataDirectory));

        System.Diagnostics.Process.GetProcessById(pid).Kill();

        var crashed = await _stack.WaitForVmStateAsync(vm.Id, VmState.Stopped, TimeSpan.FromSeconds(30));
        Assert.Contains("exited unexpectedly with code 137", crashed.LastError, StringComparison.Ordinal);
        await ActAsync(vm.Id, "start");
        var restarted = await _stack.WaitForVmStateAsync(vm.Id, VmState.Running, BootTimeout);
        Assert.Null(restarted.LastError);
    }

    private async Task<VmView> CreateAsync(string name)
    {
        var response = await _stack.Api.PostAsJsonAsync("/api/v1/vms", new { name, vCpus = 1, memoryMiB = 256, diskGiB = 1 }, NovaCronStack.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<VmView>(NovaCronStack.Json))!;
    }

    private async Task ActAsync(Guid id, string action)
    {
        var response = await _stack.Api.PostAsync($"/api/v1/vms/{id}/{action}", null);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
