using System.Buffers.Binary;
using NovaCron.Domain.Common;
using NovaCron.Domain.Images;

namespace NovaCron.Web.Features.Images;

/// <summary>A disk image file that passed <see cref="ImageFiles.Check"/>.</summary>
/// <param name="Format"><c>qcow2</c> or <c>raw</c>, as read from the content.</param>
/// <param name="VirtualSizeBytes">The size of the disk the image holds: the qcow2 header's size, or a raw file's length.</param>
public sealed record ImageFile(string Format, long VirtualSizeBytes)
{
    private const long BytesPerGiB = 1024L * 1024 * 1024;

    /// <summary>The smallest whole number of GiB that holds the image.</summary>
    public long VirtualSizeGiB => (VirtualSizeBytes + BytesPerGiB - 1) / BytesPerGiB;
}

/// <summary>Checks on a disk image file before it may back a VM's disk: it lies inside an allowed folder with no
/// symbolic link on the way, and its content is a plain raw image or a qcow2 image without a backing file (a backing
/// file name inside a qcow2 header could point a guest at any file on the host).</summary>
public static class ImageFiles
{
    private const int SectorBytes = 512;

    // Magic, version, backing file offset and size, cluster bits, then the virtual size: the first 32 bytes of a qcow2 header.
    private const int Qcow2HeaderBytes = 32;

    private static readonly byte[] Qcow2Magic = [0x51, 0x46, 0x49, 0xFB];

    /// <summary>Every check a disk image file must pass to back a VM's disk, in the order a person would fix them. Run
    /// when the image is registered and again before a VM is made from it, since the file may have been replaced in
    /// between. <paramref name="expectedFormat"/> is the format the caller claims or registered, or null to take what
    /// the content says.</summary>
    public static Result<ImageFile> Check(string path, string? expectedFormat, IReadOnlyList<string> roots)
    {
        if (expectedFormat is not null)
        {
            var supported = Image.ValidateDiskFormat(expectedFormat);
            if (!supported.IsSuccess)
            {
                return supported.Error!;
            }
        }

        if (string.IsNullOrWhiteSpace(path) || !Path.IsPathFullyQualified(path))
        {
            return Error.Validation("image.path", "The image path must be an absolute path on the node.");
        }

        var inside = CheckInsideRoots(path, roots);
        if (!inside.IsSuccess)
        {
            return inside.Error!;
        }

        if (Directory.Exists(path))
        {
            return NotAFile(path);
        }

        if (!File.Exists(path))
        {
            return Error.Validation("image.missing", $"No file at '{path}'.");
        }

        var inspected = Inspect(path);
        if (!inspected.IsSuccess)
        {
            return inspected.Error!;
        }

        if (expectedFormat is not null && expectedFormat != inspected.Value!.Format)
        {
            return Error.Validation("image.format-mismatch", $"The file at '{path}' is {inspected.Value.Format}, not {expectedFormat}.");
        }

        return inspected;
    }

    private static Result CheckInsideRoots(string path, IReadOnlyList<string> roots)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        foreach (var root in roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))))
        {
            if (full == root)
            {
                return NotAFile(path);
            }

            if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            // Every step below the root must be a real folder or file, never a link out of it. LinkTarget reads the link
            // itself, so a link whose target does not exist (yet) is refused too.
            var relative = full[(root.Length + 1)..].Split(Path.DirectorySeparatorChar);
            var current = root;
            foreach (var part in relative)
            {
                current = Path.Combine(current, part);
                if (new FileInfo(current).LinkTarget is not null)
                {
                    return Error.Validation("image.symlink", $"'{path}' goes through a symbolic link ('{current}'); register the file itself.");
                }
            }

            return Result.Success();
        }

        return Error.Validation("image.outside", $"Images can only be registered from {string.Join(" or ", roots)}; '{path}' is elsewhere.");
    }

    /// <summary>The image's format and virtual size, or why it cannot be used.</summary>
    private static Result<ImageFile> Inspect(string path)
    {
        using var file = File.OpenRead(path);
        var length = file.Length;
        if (length == 0)
        {
            return Error.Validation("image.empty", $"'{path}' is empty.");
        }

        Span<byte> header = stackalloc byte[Qcow2HeaderBytes];
        var read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < Qcow2Magic.Length || !header[..Qcow2Magic.Length].SequenceEqual(Qcow2Magic))
        {
            // Anything that is not qcow2 is taken as raw, so it must at least have the shape of a disk.
            return length % SectorBytes == 0
                ? new ImageFile("raw", length)
                : Error.Validation("image.raw-size", $"'{path}' is neither a qcow2 image nor a raw disk image: it is {length} bytes, and a raw disk image is a whole number of {SectorBytes}-byte sectors.");
        }

        if (read < Qcow2HeaderBytes)
        {
            return Error.Validation("image.corrupt", $"'{path}' has a truncated qcow2 header.");
        }

        var backingFileOffset = BinaryPrimitives.ReadUInt64BigEndian(header[8..16]);
        if (backingFileOffset != 0)
        {
            return Error.Validation("image.backing-file", $"'{path}' is a qcow2 image with a backing file; flatten it first (qemu-img convert -O qcow2).");
        }

        var size = BinaryPrimitives.ReadUInt64BigEndian(header[24..32]);
        return size > long.MaxValue
            ? Error.Validation("image.corrupt", $"'{path}' is a qcow2 image with an impossible virtual size of {size} bytes.")
            : new ImageFile("qcow2", (long)size);
    }

    private static Error NotAFile(string path) =>
        Error.Validation("image.directory", $"'{path}' is a directory, not a disk image file; give the path of a qcow2 or raw image file inside it.");
}
