namespace NovaCron.Domain.Identity;

/// <summary>Where a permission applies: inside one project, or across the whole installation.</summary>
public enum PermissionScope
{
    Project,
    Global,
}

/// <summary>One entry of the permission catalogue. A global permission comes from the user's global role; one marked
/// <see cref="AlsoFromMembership"/> (seeing nodes) is also granted by a project role that holds it.</summary>
public sealed record PermissionInfo(string Name, PermissionScope Scope, string Description, bool AlsoFromMembership = false);

/// <summary>The permission catalogue. Names are stored (roles, API tokens), so renaming one needs a data migration.</summary>
public static class Permissions
{
    public const string VmRead = "vm.read";
    public const string VmCreate = "vm.create";
    public const string VmPower = "vm.power";
    public const string VmDelete = "vm.delete";
    public const string VmResize = "vm.resize";
    public const string VmConsole = "vm.console";
    public const string VmMigrate = "vm.migrate";
    public const string BackupManage = "backup.manage";
    public const string JobManage = "job.manage";
    public const string ProjectManage = "project.manage";
    public const string NodeRead = "node.read";
    public const string NodeManage = "node.manage";
    public const string ImageManage = "image.manage";
    public const string UserManage = "user.manage";
    public const string AuditRead = "audit.read";

    public static IReadOnlyList<PermissionInfo> All { get; } =
    [
        new(VmRead, PermissionScope.Project, "See VMs, their state, history and operations"),
        new(VmCreate, PermissionScope.Project, "Create VMs"),
        new(VmPower, PermissionScope.Project, "Start, stop, force-stop, reboot, pause and resume VMs"),
        new(VmDelete, PermissionScope.Project, "Delete VMs and their disks"),
        new(VmResize, PermissionScope.Project, "Change a stopped VM's vCPUs, memory and disk size"),
        new(VmConsole, PermissionScope.Project, "Read a VM's serial console"),
        new(VmMigrate, PermissionScope.Project, "Move VMs between nodes"),
        new(BackupManage, PermissionScope.Project, "Create, restore and prune backups and snapshots"),
        new(JobManage, PermissionScope.Project, "Manage scheduled jobs"),
        new(ProjectManage, PermissionScope.Project, "Manage a project's members and settings"),
        new(NodeRead, PermissionScope.Global, "See nodes and images", AlsoFromMembership: true),
        new(NodeManage, PermissionScope.Global, "Enroll, revoke and maintain nodes"),
        new(ImageManage, PermissionScope.Global, "Register boot images"),
        new(UserManage, PermissionScope.Global, "Manage users, projects, quotas and roles"),
        new(AuditRead, PermissionScope.Global, "Read and export the audit log"),
    ];

    private static readonly Dictionary<string, PermissionInfo> ByName = All.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public static bool Exists(string? name) => name is not null && ByName.ContainsKey(name);

    public static PermissionInfo Info(string name) =>
        ByName.TryGetValue(name, out var info) ? info : throw new ArgumentException($"Unknown permission '{name}'.", nameof(name));
}
