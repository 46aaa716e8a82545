using NovaCron.Domain.Common;

namespace NovaCron.Domain.Identity;

/// <summary>Identifies a role.</summary>
public readonly record struct RoleId(Guid Value)
{
    public static RoleId New() => new(Guid.CreateVersion7());

    public override string ToString() => Value.ToString();
}

/// <summary>A named set of permissions. The four built-in roles cannot be changed; administrators define custom ones.</summary>
public sealed class Role
{
    public const string Administrator = "administrator";
    public const string Operator = "operator";
    public const string Viewer = "viewer";
    public const string Auditor = "auditor";

    private List<string> _permissions = [];

    private Role()
    {
        Name = string.Empty;
        Description = string.Empty;
    }

    public RoleId Id { get; private set; }

    public string Name { get; private set; }

    public string Description { get; private set; }

    public bool IsBuiltIn { get; private set; }

    public IReadOnlyList<string> Permissions => _permissions;

    /// <summary>The built-in roles with fixed ids, so they can be seeded by migrations and referenced everywhere.</summary>
    public static IReadOnlyList<Role> BuiltIn { get; } =
    [
        Fixed("0197a000-0000-7000-8000-000000000001", Administrator, "Everything, everywhere", Identity.Permissions.All.Select(p => p.Name)),
        Fixed("0197a000-0000-7000-8000-000000000002", Operator, "Runs VMs: create, power, resize, delete, console, backups and jobs",
            [Identity.Permissions.VmRead, Identity.Permissions.VmCreate, Identity.Permissions.VmPower, Identity.Permissions.VmDelete, Identity.Permissions.VmResize, Identity.Permissions.VmConsole,
             Identity.Permissions.VmMigrate, Identity.Permissions.BackupManage, Identity.Permissions.JobManage, Identity.Permissions.NodeRead]),
        Fixed("0197a000-0000-7000-8000-000000000003", Viewer, "Sees VMs and nodes, changes nothing", [Identity.Permissions.VmRead, Identity.Permissions.NodeRead]),
        Fixed("0197a000-0000-7000-8000-000000000004", Auditor, "Sees everything and reads the audit log, changes nothing",
            [Identity.Permissions.VmRead, Identity.Permissions.NodeRead, Identity.Permissions.AuditRead]),
    ];

    public static Result<Role> CreateCustom(string name, string description, IEnumerable<string> permissions)
    {
        var valid = ResourceName.Validate(name, "role");
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        if (BuiltIn.Any(r => r.Name == name))
        {
            return Error.Conflict("role.built-in", $"'{name}' is a built-in role.");
        }

        var validDescription = Common.Description.Validate(description, "role");
        if (!validDescription.IsSuccess)
        {
            return validDescription.Error!;
        }

        var role = new Role { Id = RoleId.New(), Name = name, Description = validDescription.Value! };
        var set = role.SetPermissions(permissions);
        return set.IsSuccess ? role : set.Error!;
    }

    public Result SetPermissions(IEnumerable<string> permissions)
    {
        if (IsBuiltIn)
        {
            return Error.Conflict("role.built-in", $"The built-in role '{Name}' cannot be changed.");
        }

        var list = permissions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (list.Any(p => !Identity.Permissions.Exists(p)))
        {
            var unknown = list.First(p => !Identity.Permissions.Exists(p)) ?? "(null)";
            return Error.Validation("role.unknown-permission", $"'{unknown}' is not a permission.");
        }

        _permissions = list;
        return Result.Success();
    }

    private static Role Fixed(string id, string name, string description, IEnumerable<string> permissions) => new()
    {
        Id = new RoleId(Guid.Parse(id)),
        Name = name,
        Description = description,
        IsBuiltIn = true,
        _permissions = [.. permissions.Order(StringComparer.Ordinal)],
    };
}
