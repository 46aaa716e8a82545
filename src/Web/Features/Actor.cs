using NovaCron.Domain.Identity;

namespace NovaCron.Web.Features;

/// <summary>Who asks for something, from where, and what they may do. Every handler receives one and checks
/// <see cref="Access"/> for the project it acts in; every operation and audit record names it.</summary>
public sealed record Actor(string Name, string Source, UserAccess Access)
{
    /// <summary>Scheduled jobs and the supervisor: may do everything, recorded as <c>system</c>.</summary>
    public static Actor System { get; } = new("system", "system", new UserAccess(Guid.Empty, "system", Permissions.All.Select(p => p.Name), []));

    public Guid? UserId => Access.UserId == Guid.Empty ? null : Access.UserId;

    public override string ToString() => $"{Name} ({Source})";
}
