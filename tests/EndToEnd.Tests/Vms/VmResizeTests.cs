using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Vms;
using NovaCron.Testing;
using NovaCron.Web.Realtime;

namespace NovaCron.EndToEnd.Tests.Vms;

/// <summary>Resizing a real guest: the sizes reach QEMU and the guest, the disk grows without losing data, and
/// requests that cannot be carried out are refused whole.</summary>
public sealed class VmResizeTests : IAsyncLifetime
{
    private static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(90);
    private const long GiB = 1024L * 1024 * 1024;
    private NovaCronStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await NovaCronStack.StartAsync();

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task Resize_StoppedGuest_NextBootSeesNewCpusMemoryAndLargerDiskWithItsData()
    {
        var vm = await CreateAsync("resize-me", start: true);
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Running, BootTimeout);
        var firstBoot = await WaitForConsoleAsync(vm.Id, "NOVACRON-DISK boots=1 marker=");
        Assert.Contains($"NOVACRON-DISK-SIZE bytes={1 * GiB}", firstBoot, StringComparison.Ordinal);
        var marker = Line(firstBoot, "NOVACRON-DISK boots=1 marker=");

        var whileRunning = await ResizeAsync(vm.Id, new { vCpus = 2, memoryMiB = 384, diskGiB = 2 });
        Assert.Equal(HttpStatusCode.Conflict, whileRunning.StatusCode);
        Assert.Contains("stop it first", await DetailAsync(whileRunning), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Accepted, (await _stack.Api.PostAsync($"/api/v1/vms/{vm.Id}/stop", null)).StatusCode);
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Stopped, TimeSpan.FromSeconds(60));

        var resize = await ResizeAsync(vm.Id, new { vCpus = 2, memoryMiB = 384, diskGiB = 2 });
        Assert.Equal(HttpStatusCode.Accepted, resize.StatusCode);
        var operation = (await resize.Content.ReadFromJsonAsync<OperationView>(NovaCronStack.Json))!;
        await Eventually.TrueAsync(
            async () => (await _stack.GetAsync<OperationDetail>($"/api/v1/operations/{operation.Id}"))!.Operation.Status == OperationStatus.Succeeded,
            TimeSpan.FromSeconds(30),
            "the resize operation to succeed");
        var resized = await _stack.GetVmAsync(vm.Id);
        Assert.Equal((2, 384L, 2L, VmState.Stopped), (resized.VCpus, resized.MemoryMiB, resized.DiskGiB, resized.State));
        Assert.Equal(2 * GiB, await VirtualSizeAsync(Path.Combine(_stack.DataDirectory, "vms", vm.Id.ToString(), "disk.qcow2")));

        Assert.Equal(HttpStatusCode.Accepted, (await _stack.Api.PostAsync($"/api/v1/vms/{vm.Id}/start", null)).StatusCode);
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Running, BootTimeout);
        var secondBoot = await WaitForConsoleAsync(vm.Id, "NOVACRON-DISK boots=2 marker=");
        Assert.Contains("cpus=2 mem_kb=", secondBoot, StringComparison.Ordinal);
        Assert.Contains($"NOVACRON-DISK-SIZE bytes={2 * GiB}", secondBoot, StringComparison.Ordinal);
        Assert.Equal(marker, Line(secondBoot, "NOVACRON-DISK boots=2 marker="));
        var process = Assert.Single(NovaCronStack.QemuProcessesUnder(_stack.DataDirectory));
        var arguments = (await File.ReadAllTextAsync($"/proc/{process}/cmdline")).Split('\0');
        Assert.Equal("384M", arguments[Array.IndexOf(arguments, "-m") + 1]);
    }

    [Fact]
    public async Task Resize_BadRequests_RefusedWithProblemDetailsAndVmUnchanged()
    {
        var vm = await CreateAsync("resize-bad", start: false);
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Stopped, TimeSpan.FromSeconds(30));

        var shrink = await ResizeAsync(vm.Id, new { diskGiB = 0 });
        var smaller = await ResizeAsync(vm.Id, new { memoryMiB = 64 });
        var nothing = await ResizeAsync(vm.Id, new { });
        var huge = await ResizeAsync(vm.Id, new { vCpus = 256 });
        var unknown = await ResizeAsync(Guid.NewGuid(), new { vCpus = 2 });

        Assert.Equal(HttpStatusCode.BadRequest, shrink.StatusCode);
        Assert.Contains("Disk size must be between", await DetailAsync(shrink), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, smaller.StatusCode);
        Assert.Contains("Memory must be between", await DetailAsync(smaller), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, nothing.StatusCode);
        Assert.Contains("at least one of", await DetailAsync(nothing), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Contains("can never hold 256 vCPUs", await DetailAsync(huge), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var grown = await ResizeAsync(vm.Id, new { diskGiB = 3 });
        Assert.Equal(HttpStatusCode.Accepted, grown.StatusCode);
        await Eventually.TrueAsync(async () => (await _stack.GetVmAsync(vm.Id)).ActiveOperationId is null, TimeSpan.FromSeconds(30), "the resize to finish");
        var back = await ResizeAsync(vm.Id, new { diskGiB = 2 });
        Assert.Equal(HttpStatusCode.BadRequest, back.StatusCode);
        Assert.Contains("can only grow", await DetailAsync(back), StringComparison.Ordinal);

        var after = await _stack.GetVmAsync(vm.Id);
        Assert.Equal((1, 256L, 3L), (after.VCpus, after.MemoryMiB, after.DiskGiB));
        Assert.Equal(3 * GiB, await VirtualSizeAsync(Path.Combine(_stack.DataDirectory, "vms", vm.Id.ToString(), "disk.qcow2")));
    }

    private async Task<VmView> CreateAsync(string name, bool start)
    {
        var response = await _stack.Api.PostAsJsonAsync("/api/v1/vms", new { name, vCpus = 1, memoryMiB = 256, diskGiB = 1, start }, NovaCronStack.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<VmView>(NovaCronStack.Json))!;
    }

    private Task<HttpResponseMessage> ResizeAsync(Guid id, object body) => _stack.Api.PostAsJsonAsync($"/api/v1/vms/{id}/resize", body, NovaCronStack.Json);

    private Task<string> WaitForConsoleAsync(Guid vmId, string text) =>
        Eventually.GetAsync(() => _stack.ConsoleAsync(vmId)!, c => c?.Contains(text, StringComparison.Ordinal) == true, BootTimeout, $"'{text}' on the console");

    private static async Task<string> DetailAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString() ?? string.Empty;
    }

    private static string Line(string console, string prefix)
    {
        var start = console.IndexOf(prefix, StringComparison.Ordinal);
        var end = console.IndexOf('\n', start);
        return console[(start + prefix.Length)..(end < 0 ? console.Length : end)].Trim();
    }

    private static async Task<long> VirtualSizeAsync(string disk)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("qemu-img", ["info", "--output=json", "-U", disk]) { RedirectStandardOutput = true })!;
        var json = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return JsonDocument.Parse(json).RootElement.GetProperty("virtual-size").GetInt64();
    }
}
