using Microsoft.AspNetCore.Identity;

namespace NovaCron.Infrastructure.Identity;

/// <summary>A person who signs in to NovaCron (ASP.NET Core Identity user). What they may do comes from
/// <see cref="GlobalRoleId"/> (for example the built-in Administrator role) and their project memberships.</summary>
public sealed class NovaCronUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>A role whose permissions apply everywhere; null for project-only users.</summary>
    public Guid? GlobalRoleId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>A disabled user cannot sign in and its API tokens stop working.</summary>
    public DateTimeOffset? DisabledAt { get; set; }
}
