namespace NovaCron.Web.Features.Admin.Roles;

/// <summary>A role with its permissions and how many users hold it (globally or in a project).</summary>
public sealed record RoleView(Guid Id, string Name, string Description, bool IsBuiltIn, IReadOnlyList<string> Permissions, int UsedBy);

public sealed record CreateRoleRequest(string Name, string? Description, IReadOnlyList<string> Permissions);

public sealed record SetRolePermissionsRequest(IReadOnlyList<string> Permissions);
