using NovaCron.Domain.Projects;

namespace NovaCron.Web.Features.Admin.Projects;

public sealed record ProjectMemberView(Guid UserId, string UserName, Guid RoleId, string RoleName);

/// <summary>A project with what it uses against its quota, and its members.</summary>
public sealed record ProjectView(
    Guid Id,
    string Name,
    string Description,
    Quota Quota,
    ProjectUsage Usage,
    DateTimeOffset CreatedAt,
    IReadOnlyList<ProjectMemberView> Members)
{
    public bool IsDefault => Id == ProjectId.Default.Value;
}

public sealed record CreateProjectRequest(string Name, string? Description, Quota? Quota);

public sealed record UpdateProjectRequest(string? Description, Quota Quota);
