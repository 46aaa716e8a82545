using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Vms;
using NovaCron.Testing;
using NovaCron.Web.Features.Audit;
using NovaCron.Web.Realtime;

namespace NovaCron.EndToEnd.Tests.Vms;

/// <summary>A registered disk image is checked at registration and again whenever a VM disk is made or grown on it:
/// real qemu-img files in the stack's user image folder, a real agent that would make the overlay.</summary>
public sealed class ImageChecksTests : IAsyncLifetime
{
    private const long GiB = 1024L * 1024 * 1024;

    private NovaCronStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await NovaCronStack.StartAsync();

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task CreateVm_DiskSmallerThanImage_RefusedNamingTheSizesAndNothingCreated()
    {
        // 4.5 GiB: the refusal rounds the image up to 5 GiB, and 5 GiB is then enough.
        await RegisterAsync("big", await QemuImgCreateAsync("big.qcow2", "qcow2", (4 * GiB) + (GiB / 2)));

        var refused = await CreateVmAsync("too-small", "big", diskGiB: 4);

        var detail = await AssertProblemAsync(refused, "vm.disk-smaller-than-image");
        Assert.Contains("5 GiB", detail, StringComparison.Ordinal);
        Assert.Contains("diskGiB 5", detail, StringComparison.Ordinal);
        Assert.Equal(0, (await _stack.GetAsync<NovaCronStack.PageOf<VmView>>("/api/v1/vms"))!.Total);
        Assert.False(Directory.Exists(Path.Combine(_stack.DataDirectory, "vms")) && Directory.EnumerateFileSystemEntries(Path.Combine(_stack.DataDirectory, "vms")).Any());
        var audited = (await _stack.GetAsync<NovaCronStack.PageOf<AuditView>>($"/api/v1/audit?action=vm.create&result={AuditResult.Failed}"))!.Items;
        Assert.Contains(audited, r => r.TargetName == "too-small" && r.Detail == detail);

        var fits = await CreateVmAsync("fits", "big", diskGiB: 5);
        Assert.Equal(HttpStatusCode.Created, fits.StatusCode);
    }

    [Fact]
    public async Task ResizeVm_DiskSmallerThanImage_RefusedAndVmUnchanged()
    {
        var path = await QemuImgCreateAsync("grows.qcow2", "qcow2", 64 * 1024 * 1024);
        await RegisterAsync("grows", path);
        var created = await CreateVmAsync("on-grows", "grows", diskGiB: 1, start: false);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var vm = (await created.Content.ReadFromJsonAsync<VmView>(NovaCronStack.Json))!;
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Stopped, TimeSpan.FromSeconds(30));
        await Tool.RunAsync("qemu-img", "resize", "-q", "-f", "qcow2", path, "5G");

        var refused = await _stack.Api.PostAsJsonAsync($"/api/v1/vms/{vm.Id}/resize", new { diskGiB = 3 }, NovaCronStack.Json);

        Assert.Contains("5 GiB", await AssertProblemAsync(refused, "vm.disk-smaller-than-image"), StringComparison.Ordinal);
        Assert.Equal(1, (await _stack.GetVmAsync(vm.Id)).DiskGiB);
    }

    [Fact]
    public async Task CreateVm_RegisteredImageSwappedForSymlink_RefusedAndNothingCreated()
    {
        var path = await QemuImgCreateAsync("swapped.img", "raw", 1024 * 1024);
        await RegisterAsync("swapped", path);
        File.Delete(path);
        File.CreateSymbolicLink(path, "/etc/passwd");

        var refused = await CreateVmAsync("on-passwd", "swapped", diskGiB: 1);

        Assert.Contains("Image 'swapped'", await AssertProblemAsync(refused, "image.symlink"), StringComparison.Ordinal);
        Assert.Equal(0, (await _stack.GetAsync<NovaCronStack.PageOf<VmView>>("/api/v1/vms"))!.Total);
    }

    [Fact]
    public async Task RegisterImage_RawFileNotWholeSectors_Refused()
    {
        var path = Path.Combine(_stack.UserImages, "notes.img");
        await File.WriteAllTextAsync(path, "hello, world\n");

        var response = await _stack.Api.PostAsJsonAsync("/api/v1/images", new { name = "notes", path }, NovaCronStack.Json);

        Assert.Contains("512-byte sectors", await AssertProblemAsync(response, "image.raw-size"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("isos")]
    public async Task RegisterImage_Directory_SaysItIsADirectory(string folder)
    {
        var path = Path.Combine(_stack.UserImages, folder);
        Directory.CreateDirectory(path);

        var response = await _stack.Api.PostAsJsonAsync("/api/v1/images", new { name = "folder", path }, NovaCronStack.Json);

        Assert.Contains("is a directory, not a disk image file", await AssertProblemAsync(response, "image.directory"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterImage_VmdkFormat_SaysTheFormatIsUnsupported()
    {
        var path = await QemuImgCreateAsync("disk.qcow2", "qcow2", 64 * 1024 * 1024);

        var response = await _stack.Api.PostAsJsonAsync("/api/v1/images", new { name = "vmdk", path, format = "vmdk" }, NovaCronStack.Json);

        var detail = await AssertProblemAsync(response, "image.format-unsupported");
        Assert.Contains("'vmdk' is not supported", detail, StringComparison.Ordinal);
        Assert.Contains("qcow2 or raw", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterImage_PathWithDotDot_StoredAsItsCanonicalPath()
    {
        var path = await QemuImgCreateAsync("canon.qcow2", "qcow2", GiB);
        var roundabout = Path.Combine(_stack.UserImages, "..", Path.GetFileName(_stack.UserImages), "canon.qcow2");

        var response = await _stack.Api.PostAsJsonAsync("/api/v1/images", new { name = "canon", path = roundabout }, NovaCronStack.Json);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(path, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("path").GetString());
    }

    private async Task<string> QemuImgCreateAsync(string name, string format, long sizeBytes)
    {
        var path = Path.Combine(_stack.UserImages, name);
        await Tool.RunAsync("qemu-img", "create", "-q", "-f", format, path, sizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return path;
    }

    private async Task RegisterAsync(string name, string path)
    {
        var response = await _stack.Api.PostAsJsonAsync("/api/v1/images", new { name, path }, NovaCronStack.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private Task<HttpResponseMessage> CreateVmAsync(string name, string image, long diskGiB, bool start = false) =>
        _stack.Api.PostAsJsonAsync("/api/v1/vms", new { name, vCpus = 1, memoryMiB = 256, diskGiB, image, start }, NovaCronStack.Json);

    /// <summary>Asserts a 400 ProblemDetails of type <paramref name="code"/> and returns its detail.</summary>
    private static async Task<string> AssertProblemAsync(HttpResponseMessage response, string code)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"https://novacron.dev/problems/{code}", problem.GetProperty("type").GetString());
        return problem.GetProperty("detail").GetString()!;
    }
}
