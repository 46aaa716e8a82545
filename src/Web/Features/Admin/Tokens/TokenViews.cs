using NovaCron.Domain.Identity;

namespace NovaCron.Web.Features.Admin.Tokens;

/// <summary>An API token without its secret. <see cref="Permissions"/> null means all of the owner's permissions.</summary>
public sealed record TokenView(
    Guid Id,
    Guid UserId,
    string UserName,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? LastUsedAt,
    IReadOnlyList<string>? Permissions,
    DateTimeOffset? RevokedAt)
{
    public static TokenView From(ApiToken token, string userName) =>
        new(token.Id, token.UserId, userName, token.Name, token.CreatedAt, token.ExpiresAt, token.LastUsedAt, token.Permissions, token.RevokedAt);
}

/// <summary>A new token and its secret: the only time the secret is available.</summary>
public sealed record CreatedToken(TokenView Token, string Secret);

/// <summary>Asks for a token; null <see cref="Permissions"/> means all of the caller's permissions.</summary>
public sealed record CreateTokenRequest(string Name, DateTimeOffset ExpiresAt, IReadOnlyList<string>? Permissions);
