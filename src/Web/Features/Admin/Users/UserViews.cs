namespace NovaCron.Web.Features.Admin.Users;

/// <summary>A user's role in one project, with names for display.</summary>
public sealed record MembershipView(Guid ProjectId, string ProjectName, Guid RoleId, string RoleName);

/// <summary>A user as administrators see it.</summary>
public sealed record UserView(
    Guid Id,
    string UserName,
    string DisplayName,
    Guid? GlobalRoleId,
    string? GlobalRoleName,
    bool TwoFactorEnabled,
    bool LockedOut,
    bool Disabled,
    DateTimeOffset CreatedAt,
    IReadOnlyList<MembershipView> Memberships);

public sealed record CreateUserRequest(string UserName, string DisplayName, string Password, Guid? GlobalRoleId);

public sealed record ResetPasswordRequest(string NewPassword);

public sealed record SetGlobalRoleRequest(Guid? RoleId);

/// <summary>Gives a user a role in a project; a null <see cref="RoleId"/> removes the membership.</summary>
public sealed record SetMembershipRequest(Guid UserId, Guid ProjectId, Guid? RoleId);

/// <summary>The body of <c>PUT /projects/{id}/members/{userId}</c>: the member's role in that project.</summary>
public sealed record SetMemberRoleRequest(Guid? RoleId);
