namespace NovaCron.Domain.Audit;

public enum AuditResult
{
    Succeeded,
    Failed,
    Denied,
}

/// <summary>One audited change: who did what to which target, from where, when, and how it ended. Append-only: there
/// is no method that changes a record after it is made, and no code path updates or deletes records.</summary>
public sealed class AuditRecord
{
    private AuditRecord()
    {
        Actor = string.Empty;
        Action = string.Empty;
        TargetType = string.Empty;
        Source = string.Empty;
    }

    public Guid Id { get; private set; }

    public DateTimeOffset At { get; private set; }

    /// <summary>User name, <c>node:&lt;name&gt;</c> for an agent, <c>system</c> for jobs and the supervisor.</summary>
    public string Actor { get; private set; }

    public Guid? ActorUserId { get; private set; }

    public Guid? ProjectId { get; private set; }

    /// <summary>What was done, for example <c>vm.create</c>, <c>user.disable</c>, <c>node.enroll</c>.</summary>
    public string Action { get; private set; }

    public string TargetType { get; private set; }

    public string? TargetId { get; private set; }

    public string? TargetName { get; private set; }

    /// <summary>Where the request came from: <c>api 10.0.0.5</c>, <c>ui 10.0.0.5</c>, <c>agent node-1</c>, <c>system</c>.</summary>
    public string Source { get; private set; }

    public AuditResult Result { get; private set; }

    public string? Detail { get; private set; }

    public static AuditRecord Create(
        DateTimeOffset at,
        string actor,
        Guid? actorUserId,
        Guid? projectId,
        string action,
        string targetType,
        string? targetId,
        string? targetName,
        string source,
        AuditResult result,
        string? detail) => new()
    {
        Id = Guid.CreateVersion7(),
        At = at,
        Actor = actor,
        ActorUserId = actorUserId,
        ProjectId = projectId,
        Action = action,
        TargetType = targetType,
        TargetId = targetId,
        TargetName = targetName,
        Source = source,
        Result = result,
        Detail = detail is { Length: > 2000 } ? detail[..2000] : detail,
    };
}
