using System.Globalization;
using System.Text.Json;

namespace NovaCron.NodeAgent.Hypervisor.Qemu;

/// <summary>The qemu-img operations the agent needs.</summary>
public sealed class QemuImg(string binary)
{
    private const long BytesPerGiB = 1024L * 1024 * 1024;

    public async Task<long> VirtualSizeBytesAsync(string path, CancellationToken cancellationToken)
    {
        var json = await ProcessRunner.RunAsync(binary, ["info", "--output=json", "-U", path], cancellationToken);
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("virtual-size").GetInt64();
    }

    /// <summary>Creates an empty qcow2 disk, or an overlay on <paramref name="backingFile"/> that is at least as large
    /// as the backing image (qemu-img refuses a smaller overlay).</summary>
    public async Task CreateQcow2Async(string path, long sizeGiB, string? backingFile, string? backingFormat, CancellationToken cancellationToken)
    {
        var sizeBytes = sizeGiB * BytesPerGiB;
        List<string> arguments = ["create", "-q", "-f", "qcow2"];
        if (backingFile is not null)
        {
            sizeBytes = Math.Max(sizeBytes, await VirtualSizeBytesAsync(backingFile, cancellationToken));
            arguments.AddRange(["-b", Path.GetFullPath(backingFile), "-F", backingFormat ?? "qcow2"]);
        }

        arguments.AddRange([path, sizeBytes.ToString(CultureInfo.InvariantCulture)]);
        await ProcessRunner.RunAsync(binary, arguments, cancellationToken);
    }

    /// <summary>Grows a disk to <paramref name="sizeGiB"/>; a disk already that large or larger is left alone, since
    /// shrinking would cut off data. Returns whether the disk grew.</summary>
    public async Task<bool> GrowAsync(string path, long sizeGiB, CancellationToken cancellationToken)
    {
        var sizeBytes = sizeGiB * BytesPerGiB;
        if (await VirtualSizeBytesAsync(path, cancellationToken) >= sizeBytes)
        {
            return false;
        }

        await ProcessRunner.RunAsync(binary, ["resize", "-q", "-f", "qcow2", path, sizeBytes.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        return true;
    }
}
