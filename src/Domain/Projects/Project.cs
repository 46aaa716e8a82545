using NovaCron.Domain.Common;
using NovaCron.Domain.Nodes;

namespace NovaCron.Domain.Projects;

/// <summary>Identifies a project (tenant).</summary>
public readonly record struct ProjectId(Guid Value)
{
    /// <summary>The project that exists from the start; VMs made before projects existed belong to it.</summary>
    public static readonly ProjectId Default = new(Guid.Parse("0197a000-0000-7000-8000-0000000000d0"));

    public static ProjectId New() => new(Guid.CreateVersion7());

    public override string ToString() => Value.ToString();
}

/// <summary>Limits of a project; null means unlimited.</summary>
public sealed record Quota(int? MaxVms, int? MaxVCpus, long? MaxMemoryMiB, long? MaxDiskGiB)
{
    public static readonly Quota Unlimited = new(null, null, null, null);

    public Result Validate()
    {
        if (MaxVms is < 0 || MaxVCpus is < 0 || MaxMemoryMiB is < 0 || MaxDiskGiB is < 0)
        {
            return Error.Validation("quota.negative", "Quota limits cannot be negative.");
        }

        return Result.Success();
    }
}

/// <summary>What a project uses now.</summary>
public sealed record ProjectUsage(int Vms, int VCpus, long MemoryMiB, long DiskGiB)
{
    public static readonly ProjectUsage None = new(0, 0, 0, 0);

    public ProjectUsage Add(Capacity capacity) => new(Vms + 1, VCpus + capacity.VCpus, MemoryMiB + capacity.MemoryMiB, DiskGiB + capacity.DiskGiB);
}

/// <summary>A tenant: every VM belongs to exactly one project, and users are members of projects with a role.</summary>
public sealed class Project
{
    private Project()
    {
        Name = string.Empty;
        Description = string.Empty;
        Quota = Quota.Unlimited;
    }

    public ProjectId Id { get; private set; }

    public string Name { get; private set; }

    public string Description { get; private set; }

    public Quota Quota { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static Result<Project> Create(string name, string description, Quota quota, DateTimeOffset now) => Create(ProjectId.New(), name, description, quota, now);

    public static Result<Project> Create(ProjectId id, string name, string description, Quota quota, DateTimeOffset now)
    {
        var valid = ResourceName.Validate(name, "project");
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        var validQuota = quota.Validate();
        if (!validQuota.IsSuccess)
        {
            return validQuota.Error!;
        }

        var validDescription = Common.Description.Validate(description, "project");
        if (!validDescription.IsSuccess)
        {
            return validDescription.Error!;
        }

        return new Project { Id = id, Name = name, Description = validDescription.Value!, Quota = quota, CreatedAt = now };
    }

    public Result SetQuota(Quota quota)
    {
        var valid = quota.Validate();
        if (!valid.IsSuccess)
        {
            return valid;
        }

        Quota = quota;
        return Result.Success();
    }

    public Result Describe(string description)
    {
        var valid = Common.Description.Validate(description, "project");
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        Description = valid.Value!;
        return Result.Success();
    }

    /// <summary>Refuses a request that would take the project over a limit, naming the limit and by how much.</summary>
    public Result AdmitVm(ProjectUsage usage, Capacity request)
    {
        var after = usage.Add(request);
        if (Quota.MaxVms is { } vms && after.Vms > vms)
        {
            return Over("VMs", after.Vms, vms, "");
        }

        if (Quota.MaxVCpus is { } vcpus && after.VCpus > vcpus)
        {
            return Over("vCPUs", after.VCpus, vcpus, "");
        }

        if (Quota.MaxMemoryMiB is { } memory && after.MemoryMiB > memory)
        {
            return Over("memory", after.MemoryMiB, memory, " MiB");
        }

        if (Quota.MaxDiskGiB is { } disk && after.DiskGiB > disk)
        {
            return Over("disk", after.DiskGiB, disk, " GiB");
        }

        return Result.Success();
    }

    /// <summary>Refuses a resize that would take the project over a limit. Only limits the resize grows are checked, so a
    /// project already over a lowered quota can still shrink its VMs.</summary>
    public Result AdmitResize(ProjectUsage usage, Capacity from, Capacity to)
    {
        var after = new ProjectUsage(usage.Vms, usage.VCpus - from.VCpus + to.VCpus, usage.MemoryMiB - from.MemoryMiB + to.MemoryMiB, usage.DiskGiB - from.DiskGiB + to.DiskGiB);
        if (Quota.MaxVCpus is { } vcpus && to.VCpus > from.VCpus && after.VCpus > vcpus)
        {
            return Over("vCPUs", after.VCpus, vcpus, "");
        }

        if (Quota.MaxMemoryMiB is { } memory && to.MemoryMiB > from.MemoryMiB && after.MemoryMiB > memory)
        {
            return Over("memory", after.MemoryMiB, memory, " MiB");
        }

        if (Quota.MaxDiskGiB is { } disk && to.DiskGiB > from.DiskGiB && after.DiskGiB > disk)
        {
            return Over("disk", after.DiskGiB, disk, " GiB");
        }

        return Result.Success();
    }

    private Error Over(string what, long wanted, long limit, string unit) => Error.Conflict(
        "quota.exceeded",
        $"Project '{Name}' would exceed its {what} quota by {wanted - limit}{unit}: the limit is {limit}{unit} and this request would bring it to {wanted}{unit}.");
}

/// <summary>A user's role in one project.</summary>
public sealed record ProjectMembership(Guid UserId, ProjectId ProjectId, Identity.RoleId RoleId);
