using NovaCron.Domain.Common;
using NovaCron.Domain.Nodes;

namespace NovaCron.Domain.Vms;

/// <summary>What a VM is made of. Sizes are validated against hard bounds here and against nodes at placement.</summary>
public sealed record VmSpec(int VCpus, long MemoryMiB, long DiskGiB, ImageId ImageId, IReadOnlyList<string> Tags)
{
    public const int MaxVCpus = 256;
    /// <summary>The test guest, a kernel with a busybox initramfs, needs about 100 MiB to boot.</summary>
    public const long MinMemoryMiB = 128;
    public const long MaxMemoryMiB = 4L * 1024 * 1024;
    public const long MaxDiskGiB = 64 * 1024;
    public const int MaxTags = 32;

    public Capacity AsCapacity() => new(VCpus, MemoryMiB, DiskGiB);

    public VmSize Size => new(VCpus, MemoryMiB, DiskGiB);

    public VmSpec WithSize(VmSize size) => this with { VCpus = size.VCpus, MemoryMiB = size.MemoryMiB, DiskGiB = size.DiskGiB };

    public static Result Validate(int vcpus, long memoryMiB, long diskGiB, IReadOnlyList<string>? tags)
    {
        if (vcpus is < 1 or > MaxVCpus)
        {
            return Error.Validation("vm.vcpus", $"vCPUs must be between 1 and {MaxVCpus}; got {vcpus}.");
        }

        if (memoryMiB is < MinMemoryMiB or > MaxMemoryMiB)
        {
            return Error.Validation("vm.memory", $"Memory must be between {MinMemoryMiB} MiB and {MaxMemoryMiB} MiB; got {memoryMiB} MiB.");
        }

        if (diskGiB is < 1 or > MaxDiskGiB)
        {
            return Error.Validation("vm.disk", $"Disk size must be between 1 GiB and {MaxDiskGiB} GiB; got {diskGiB} GiB.");
        }

        if (tags is { Count: > MaxTags })
        {
            return Error.Validation("vm.tags", $"A VM has at most {MaxTags} tags; got {tags.Count}.");
        }

        if (tags is not null && tags.Distinct(StringComparer.Ordinal).Count() != tags.Count)
        {
            return Error.Validation("vm.tags", "Each tag may appear once.");
        }

        foreach (var tag in tags ?? [])
        {
            var valid = ResourceName.Validate(tag, "tag");
            if (!valid.IsSuccess)
            {
                return valid.Error!;
            }
        }

        return Result.Success();
    }
}

/// <summary>The resizable part of a VM: vCPUs, memory and disk.</summary>
public sealed record VmSize(int VCpus, long MemoryMiB, long DiskGiB)
{
    public Capacity AsCapacity() => new(VCpus, MemoryMiB, DiskGiB);

    public override string ToString() => $"{VCpus} vCPUs, {MemoryMiB} MiB, {DiskGiB} GiB";
}
