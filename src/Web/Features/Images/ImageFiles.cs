using System.Buffers.Binary;
using NovaCron.Domain.Common;

namespace NovaCron.Web.Features.Images;

/// <summary>Checks on a disk image file before it may back a VM's disk: it lies inside an allowed folder with no
/// symbolic link on the way, and its content is a plain raw image or a qcow2 image without a backing file (a backing
/// file name inside a qcow2 header could point a guest at any file on the host).</summary>
public static class ImageFiles
{
    private static readonly byte[] Qcow2Magic = [0x51, 0x46, 0x49, 0xFB];

    public static Result CheckInsideRoots(string path, IReadOnlyList<string> roots)
    {
        var full = Path.GetFullPath(path);
        foreach (var root in roots.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))))
        {
            if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            // Every step below the root must be a real folder or file, never a link out of it.
            var relative = full[(root.Length + 1)..].Split(Path.DirectorySeparatorChar);
            var current = root;
            foreach (var part in relative)
            {
                current = Path.Combine(current, part);
                var info = new FileInfo(current);
                if (info.Exists || Directory.Exists(current))
                {
                    if ((File.GetAttributes(current) & FileAttributes.ReparsePoint) != 0)
                    {
                        return Error.Validation("image.symlink", $"'{path}' goes through a symbolic link ('{current}'); register the file itself.");
                    }
                }
            }

            return Result.Success();
        }

        return Error.Validation("image.outside", $"Images can only be registered from {string.Join(" or ", roots)}; '{path}' is elsewhere.");
    }

    /// <summary>The image's format (<c>qcow2</c> or <c>raw</c>), or why it cannot be used.</summary>
    public static Result<string> Inspect(string path)
    {
        using var file = File.OpenRead(path);
        if (file.Length == 0)
        {
            return Error.Validation("image.empty", $"'{path}' is empty.");
        }

        Span<byte> header = stackalloc byte[20];
        var read = file.Read(header);
        if (read < 4 || !header[..4].SequenceEqual(Qcow2Magic))
        {
            return "raw";
        }

        if (read < 20)
        {
            return Error.Validation("image.corrupt", $"'{path}' has a truncated qcow2 header.");
        }

        var backingFileOffset = BinaryPrimitives.ReadUInt64BigEndian(header[8..16]);
        return backingFileOffset != 0
            ? Error.Validation("image.backing-file", $"'{path}' is a qcow2 image with a backing file; flatten it first (qemu-img convert -O qcow2).")
            : "qcow2";
    }
}
