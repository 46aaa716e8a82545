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
        var imagePath = Path.Combine(_stack.UserImages, $"user-disk.{format}");
        await Tool.RunAsync("bash", Path.Combine(TestPaths.RepositoryRoot(), "scripts", "make-bootable-disk.sh"), Path.Combine(await TestPaths.EnsureGuestImagesAsync(), "novacron-test-guest"), imagePath, format);
        var register = await _stack.Api.PostAsJsonAsync("/api/v1/images", new { name = $"user-{format}", path = imagePath }, NovaCronStack.Json);
        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        Assert.Equal(format, (await register.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("format").GetString());

        var created = await _stack.Api.PostAsJsonAsync("/api/v1/vms", new { name = $"disk-{format}", vCpus = 1, memoryMiB = 256, diskGiB = 1, image = $"user-{format}" }, NovaCronStack.Json);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var vm = (await created.Content.ReadFromJsonAsync<VmView>(NovaCronStack.Json))!;

        await _stack.WaitForVmStateAsync(vm.Id, VmState.Running, TimeSpan.FromSeconds(90));
        var console = await Eventually.GetAsync(() => _stack.ConsoleAsync(vm.Id)!, c => c is not null && (c.Contains("NOVACRON-DISK not-blank", StringComparison.Ordinal) || c.Contains("NOVACRON-DISK boots=", StringComparison.Ordinal)), TimeSpan.FromSeconds(120), "boot from the disk image");
        Assert.Contains("NOVACRON-GUEST BOOTED", console, StringComparison.Ordinal);
        Assert.Contains("NOVACRON-DISK not-blank: left untouched", console, StringComparison.Ordinal);

        var info = JsonDocument.Parse(await Tool.RunAsync("qemu-img", "info", "--output=json", "-U", Path.Combine(_stack.DataDirectory, "vms", vm.Id.ToString(), "disk.qcow2")));
        Assert.Equal(imagePath, info.RootElement.GetProperty("backing-filename").GetString());
        Assert.Equal(format, info.RootElement.GetProperty("backing-filename-format").GetString());
    }

    [Fact]
    public async Task RegisterImage_MissingFile_ProblemDetails()
    {
        var response = await _stack.Api.PostAsJsonAsync("/api/v1/images", new { name = "ghost", path = Path.Combine(_stack.UserImages, "nope.img") }, NovaCronStack.Json);

        await AssertProblemAsync(response, "image.missing");
    }

    [Fact]
    public async Task RegisterImage_HostFileOutsideImageFolders_Refused()
    {
        var response = await _stack.Api.PostAsJsonAsync("/api/v1/images", new { name = "shadow", path = "/etc/passwd", format = "raw" }, NovaCronStack.Json);

        await AssertProblemAsync(response, "image.outside");
    }

    [Fact]
    public async Task RegisterImage_SymlinkOutOfTheFolder_Refused()
    {
        var link = Path.Combine(_stack.UserImages, "escape.img");
        File.CreateSymbolicLink(link, "/etc/passwd");

        var response = await _stack.Api.PostAsJsonAsync("/api/v1/images", new { name = "escape", path = link }, NovaCronStack.Json);

        await AssertProblemAsync(response, "image.symlink");
    }

    [Fact]
    public async Task RegisterImage_Qcow2WithBackingFile_Refused()
    {
        var path = Path.Combine(_stack.UserImages, "overlay.qcow2");
        await Tool.RunAsync("qemu-img", "create", "-q", "-f", "qcow2", "-b", "/etc/passwd", "-F", "raw", path, "1M");

        var response = await _stack.Api.PostAsJsonAsync("/api/v1/images", new { name = "overlay", path }, NovaCronStack.Json);

        await AssertProblemAsync(response, "image.backing-file");
    }

    [Fact]
    public async Task RegisterImage_ClaimedFormatDoesNotMatchContent_Refused()
    {
        var path = Path.Combine(_stack.UserImages, "plain.img");
        await Tool.RunAsync("qemu-img", "create", "-q", "-f", "raw", path, "1M");

        var response = await _stack.Api.PostAsJsonAsync("/api/v1/images", new { name = "plain", path, format = "qcow2" }, NovaCronStack.Json);

        await AssertProblemAsync(response, "image.format-mismatch");
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string code)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.EndsWith(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString(), StringComparison.Ordinal);
    }
}
