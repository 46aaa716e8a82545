using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NovaCron.Domain.Vms;
using NovaCron.Testing;
using NovaCron.Web.Realtime;

namespace NovaCron.EndToEnd.Tests.Vms;

/// <summary>A user-supplied disk image boots for real through SeaBIOS, on a control plane that runs on PostgreSQL.</summary>
public sealed class UserImageAndPostgresTests : IAsyncLifetime
{
    private NovaCronStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await NovaCronStack.StartAsync(postgres: true);

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Theory]
    [InlineData("raw")]
    [InlineData("qcow2")]
    public async Task CreateVm_FromRegisteredDiskImage_BootsFromItOnAnOverlay(string format)
    {
        var imagePath = Path.Combine(_stack.DataDirectory, $"user-disk.{format}");
        await RunAsync("bash", Path.Combine(TestPaths.RepositoryRoot(), "scripts", "make-bootable-disk.sh"), Path.Combine(await TestPaths.EnsureGuestImagesAsync(), "novacron-test-guest"), imagePath, format);
        var register = await _stack.Api.PostAsJsonAsync("/api/v1/images", new { name = $"user-{format}", path = imagePath }, NovaCronStack.Json);
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        Assert.Equal(format, (await register.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("format").GetString());

        var created = await _stack.Api.PostAsJsonAsync("/api/v1/vms", new { name = $"disk-{format}", vCpus = 1, memoryMiB = 256, diskGiB = 1, image = $"user-{format}" }, NovaCronStack.Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var vm = (await created.Content.ReadFromJsonAsync<VmView>(NovaCronStack.Json))!;

        await _stack.WaitForVmStateAsync(vm.Id, VmState.Running, TimeSpan.FromSeconds(90));
        var console = await Eventually.GetAsync(() => _stack.ConsoleAsync(vm.Id)!, c => c?.Contains("NOVACRON-GUEST BOOTED", StringComparison.Ordinal) == true, TimeSpan.FromSeconds(120), "boot from the disk image");
        Assert.Contains("not-blank: left untouched", console, StringComparison.Ordinal);

        var info = JsonDocument.Parse(await RunAsync("qemu-img", "info", "--output=json", "-U", Path.Combine(_stack.DataDirectory, "vms", vm.Id.ToString(), "disk.qcow2")));
        Assert.Equal(imagePath, info.RootElement.GetProperty("backing-filename").GetString());
        Assert.Equal(format, info.RootElement.GetProperty("backing-filename-format").GetString());
    }

    [Fact]
    public async Task RegisterImage_MissingFile_ProblemDetails()
    {
        var response = await _stack.Api.PostAsJsonAsync("/api/v1/images", new { name = "ghost", path = "/nonexistent/disk.img" }, NovaCronStack.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.EndsWith("image.missing", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{file} failed: {await stderr}");
        return await stdout;
    }
}
