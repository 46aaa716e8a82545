using NovaCron.Domain.Common;

namespace NovaCron.Domain.Identity;

/// <summary>A user's API token for <c>Authorization: Bearer</c>. It acts as its owner, narrowed to
/// <see cref="Permissions"/> when given, until it expires or is revoked.</summary>
public sealed class ApiToken
{
    public const string Kind = "nct";
    public const int MaxLifetimeDays = 366;

    private List<string>? _permissions;

    private ApiToken()
    {
        Name = string.Empty;
        LookupId = string.Empty;
        SecretHash = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public string Name { get; private set; }

    public string LookupId { get; private set; }

    public string SecretHash { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public DateTimeOffset? LastUsedAt { get; private set; }

    /// <summary>Null: all of the owner's permissions.</summary>
    public IReadOnlyList<string>? Permissions => _permissions;

    /// <summary>Creates a token; the returned secret is shown once and never stored.</summary>
    public static Result<(ApiToken Token, string Secret)> Issue(Guid userId, string name, DateTimeOffset expiresAt, IReadOnlyList<string>? permissions, UserAccess owner, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            return Error.Validation("token.name", "A token needs a name of 1 to 100 characters.");
        }

        if (expiresAt <= now || expiresAt > now.AddDays(MaxLifetimeDays))
        {
            return Error.Validation("token.expiry", $"A token must expire in the future and within {MaxLifetimeDays} days.");
        }

        // A leaked short-lived token must not be able to mint a long-lived one.
        if (owner.TokenExpiresAt is { } creatorExpires && expiresAt > creatorExpires)
        {
            return Error.Validation("token.outlives-creator", $"A token made with another token cannot outlive it: this one expires at {creatorExpires:u}.");
        }

        // A token limited to some permissions can only make tokens limited the same way or further.
        permissions ??= owner.TokenLimit?.ToList();
        if (permissions is not null)
        {
            if (permissions.Any(p => !Identity.Permissions.Exists(p)))
            {
                var unknown = permissions.First(p => !Identity.Permissions.Exists(p)) ?? "(null)";
                return Error.Validation("token.unknown-permission", $"'{unknown}' is not a permission.");
            }

            var notHeld = permissions.FirstOrDefault(p => !owner.Holds(p));
            if (notHeld is not null)
            {
                return Error.Validation("token.permission-not-held", $"You cannot give a token '{notHeld}': you do not hold it.");
            }
        }

        var (secret, lookup, hash) = Secrets.Generate(Kind);
        var token = new ApiToken
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Name = name.Trim(),
            LookupId = lookup,
            SecretHash = hash,
            CreatedAt = now,
            ExpiresAt = expiresAt,
            _permissions = permissions?.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
        };
        return (token, secret);
    }

    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;

    public void MarkUsed(DateTimeOffset now) => LastUsedAt = now;
}
