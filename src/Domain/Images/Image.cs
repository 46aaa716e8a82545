using NovaCron.Domain.Common;

namespace NovaCron.Domain.Images;

public enum ImageKind
{
    /// <summary>A disk image (qcow2 or raw) the VM boots from; its disk is a qcow2 overlay on it.</summary>
    Disk,

    /// <summary>A kernel and initramfs booted directly; the VM gets an empty qcow2 data disk.</summary>
    KernelInitrd,
}

/// <summary>A boot image registered with the control plane. Paths are on the nodes (shared layout under the data directory).</summary>
public sealed class Image
{
    private Image()
    {
        Name = string.Empty;
        Path = string.Empty;
        Format = string.Empty;
    }

    public ImageId Id { get; private set; }

    public string Name { get; private set; }

    public ImageKind Kind { get; private set; }

    /// <summary>Disk image path, or the kernel path for <see cref="ImageKind.KernelInitrd"/>.</summary>
    public string Path { get; private set; }

    public string? InitrdPath { get; private set; }

    public string? KernelCommandLine { get; private set; }

    /// <summary><c>qcow2</c> or <c>raw</c> for disk images.</summary>
    public string Format { get; private set; }

    public bool IsDefault { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static Result<Image> RegisterDisk(string name, string path, string format, DateTimeOffset now)
    {
        var valid = ResourceName.Validate(name, "image");
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        var supported = ValidateDiskFormat(format);
        if (!supported.IsSuccess)
        {
            return supported.Error!;
        }

        return new Image { Id = ImageId.New(), Name = name, Kind = ImageKind.Disk, Path = path, Format = format, CreatedAt = now };
    }

    /// <summary>Disk images are <c>qcow2</c> or <c>raw</c>: the only formats the nodes put an overlay on.</summary>
    public static Result ValidateDiskFormat(string format) =>
        format is "qcow2" or "raw"
            ? Result.Success()
            : Error.Validation("image.format-unsupported", $"The image format '{format}' is not supported: disk images must be qcow2 or raw.");

    public static Result<Image> RegisterKernel(string name, string kernelPath, string initrdPath, string commandLine, DateTimeOffset now)
    {
        var valid = ResourceName.Validate(name, "image");
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        return new Image
        {
            Id = ImageId.New(),
            Name = name,
            Kind = ImageKind.KernelInitrd,
            Path = kernelPath,
            InitrdPath = initrdPath,
            KernelCommandLine = commandLine,
            Format = "kernel",
            CreatedAt = now,
        };
    }

    public void MarkDefault(bool isDefault) => IsDefault = isDefault;

    public void UpdateKernel(string kernelPath, string initrdPath, string commandLine)
    {
        Path = kernelPath;
        InitrdPath = initrdPath;
        KernelCommandLine = commandLine;
    }
}
