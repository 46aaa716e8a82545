using NovaCron.Domain.Projects;

namespace NovaCron.Domain.Identity;

/// <summary>What one caller may do. A user may hold a global role (Administrator, or for example a global Auditor) whose
/// permissions apply everywhere, and a role per project whose project permissions apply inside that project. An API
/// token may narrow this to a subset of permissions. Every permission check in NovaCron goes through <see cref="Can"/>.</summary>
public sealed class UserAccess
{
    private readonly HashSet<string> _global;
    private readonly Dictionary<ProjectId, HashSet<string>> _byProject;
    private readonly HashSet<string>? _tokenLimit;

    public UserAccess(
        Guid userId,
        string userName,
        IEnumerable<string> globalPermissions,
        IEnumerable<(ProjectId Project, IEnumerable<string> Permissions)> memberships,
        IEnumerable<string>? tokenLimit = null,
        DateTimeOffset? tokenExpiresAt = null)
    {
        UserId = userId;
        UserName = userName;
        _global = globalPermissions.ToHashSet(StringComparer.Ordinal);
        _byProject = memberships.GroupBy(m => m.Project).ToDictionary(g => g.Key, g => g.SelectMany(m => m.Permissions).ToHashSet(StringComparer.Ordinal));
        _tokenLimit = tokenLimit?.ToHashSet(StringComparer.Ordinal);
        TokenExpiresAt = tokenExpiresAt;
    }

    /// <summary>When the API token this caller acts through expires; null when not acting through a token.</summary>
    public DateTimeOffset? TokenExpiresAt { get; }

    public Guid UserId { get; }

    /// <summary>The permissions the request's API token is limited to; null when not limited.</summary>
    public IReadOnlyCollection<string>? TokenLimit => _tokenLimit;

    public string UserName { get; }

    /// <summary>Holds every permission everywhere (the global Administrator role), unless a token narrows it.</summary>
    public bool IsAdministrator => _global.Count == Permissions.All.Count;

    /// <summary>No rights at all (anonymous).</summary>
    public static UserAccess None { get; } = new(Guid.Empty, "anonymous", [], []);

    /// <summary>Whether the caller holds <paramref name="permission"/> in <paramref name="project"/>; with no project,
    /// whether it holds it globally or, for a project permission, in at least one project.</summary>
    public bool Can(string permission, ProjectId? project = null)
    {
        var info = Permissions.Info(permission);
        if (_tokenLimit is not null && !_tokenLimit.Contains(permission))
        {
            return false;
        }

        if (_global.Contains(permission))
        {
            return true;
        }

        if (info.Scope == PermissionScope.Global)
        {
            return info.AlsoFromMembership && _byProject.Values.Any(granted => granted.Contains(permission));
        }

        return project is { } p
            ? _byProject.TryGetValue(p, out var inProject) && inProject.Contains(permission)
            : _byProject.Values.Any(granted => granted.Contains(permission));
    }

    /// <summary>The projects where the caller holds a project <paramref name="permission"/>; null means every project.</summary>
    public IReadOnlyCollection<ProjectId>? ProjectsWith(string permission)
    {
        if (_tokenLimit is not null && !_tokenLimit.Contains(permission))
        {
            return [];
        }

        return _global.Contains(permission) ? null : [.. _byProject.Where(kv => kv.Value.Contains(permission)).Select(kv => kv.Key)];
    }

    /// <summary>Whether <paramref name="other"/> grants exactly the same permissions in the same places.</summary>
    public bool SameAs(UserAccess other) =>
        UserId == other.UserId
        && _global.SetEquals(other._global)
        && _byProject.Count == other._byProject.Count
        && _byProject.All(kv => other._byProject.TryGetValue(kv.Key, out var granted) && granted.SetEquals(kv.Value))
        && (_tokenLimit is null ? other._tokenLimit is null : other._tokenLimit is not null && _tokenLimit.SetEquals(other._tokenLimit));

    /// <summary>The first permission that a role with <paramref name="permissions"/> would confer as a membership of
    /// <paramref name="project"/> and this caller lacks there, or null when it holds them all: nobody hands out, through
    /// a role in a project, what they do not hold there. Global-only permissions are skipped, since a membership never
    /// confers them.</summary>
    public string? FirstNotHeldIn(IEnumerable<string> permissions, ProjectId project) =>
        permissions.FirstOrDefault(permission =>
            Permissions.Info(permission) is { Scope: PermissionScope.Project } or { AlsoFromMembership: true } && !Can(permission, project));

    /// <summary>The permissions this caller may hand to an API token: never more than it holds itself.</summary>
    public bool Holds(string permission) => Can(permission) || _byProject.Values.Any(p => p.Contains(permission)) && (_tokenLimit?.Contains(permission) ?? true);
}
