using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;

namespace NovaCron.Domain.Nodes;

/// <summary>A token an administrator creates so one host (or, when not single-use, several until it expires) can join
/// the cluster. The agent trades it for its own <see cref="NodeCredential"/> on first contact.</summary>
public sealed class EnrollmentToken
{
    public const string Kind = "nce";

    private EnrollmentToken()
    {
        Description = string.Empty;
        LookupId = string.Empty;
        SecretHash = string.Empty;
        CreatedBy = string.Empty;
    }

    public Guid Id { get; private set; }

    public string Description { get; private set; }

    public string LookupId { get; private set; }

    public string SecretHash { get; private set; }

    public bool SingleUse { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? UsedAt { get; private set; }

    public string? UsedByNode { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public static Result<(EnrollmentToken Token, string Secret)> Create(string description, bool singleUse, DateTimeOffset expiresAt, string createdBy, DateTimeOffset now)
    {
        if (expiresAt <= now || expiresAt > now.AddDays(30))
        {
            return Error.Validation("enrollment.expiry", "An enrollment token must expire in the future and within 30 days.");
        }

        var validDescription = Common.Description.Validate(description, "enrollment token");
        if (!validDescription.IsSuccess)
        {
            return validDescription.Error!;
        }

        var (secret, lookup, hash) = Secrets.Generate(Kind);
        return (new EnrollmentToken
        {
            Id = Guid.CreateVersion7(),
            Description = validDescription.Value!,
            LookupId = lookup,
            SecretHash = hash,
            SingleUse = singleUse,
            CreatedAt = now,
            CreatedBy = createdBy,
            ExpiresAt = expiresAt,
        }, secret);
    }

    /// <summary>Why this token cannot enroll a node at <paramref name="now"/>, or success. This checks a loaded copy and
    /// gives the reason; consuming the token is one conditional update in the database
    /// (<c>EnrollmentTokenPersistence.TryConsumeAsync</c>), because two agents may present it at the same moment.</summary>
    public Result CheckRedeemable(DateTimeOffset now)
    {
        if (RevokedAt is not null)
        {
            return Error.Validation("enrollment.revoked", "This enrollment token was revoked.");
        }

        if (now >= ExpiresAt)
        {
            return Error.Validation("enrollment.expired", "This enrollment token has expired.");
        }

        if (SingleUse && UsedAt is not null)
        {
            return UsedError;
        }

        return Result.Success();
    }

    /// <summary>The refusal for a single-use token another enrollment consumed first.</summary>
    public static Error UsedError { get; } = Error.Validation("enrollment.used", "This enrollment token was already used.");

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}

/// <summary>The secret one node's agent authenticates with after enrolling. Revoking it disconnects and refuses the node.</summary>
public sealed class NodeCredential
{
    public const string Kind = "ncn";

    private NodeCredential()
    {
        LookupId = string.Empty;
        SecretHash = string.Empty;
        NodeName = string.Empty;
    }

    public Guid Id { get; private set; }

    /// <summary>The node this credential speaks for; an agent can only act for this node.</summary>
    public string NodeName { get; private set; }

    public string LookupId { get; private set; }

    public string SecretHash { get; private set; }

    public DateTimeOffset IssuedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public static (NodeCredential Credential, string Secret) Issue(string nodeName, DateTimeOffset now)
    {
        var (secret, lookup, hash) = Secrets.Generate(Kind);
        return (new NodeCredential { Id = Guid.CreateVersion7(), NodeName = nodeName, LookupId = lookup, SecretHash = hash, IssuedAt = now }, secret);
    }

    public bool IsUsable => RevokedAt is null;

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
