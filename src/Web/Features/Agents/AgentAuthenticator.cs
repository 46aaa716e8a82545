using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Nodes;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Configuration;

namespace NovaCron.Web.Features.Agents;

/// <summary>What an agent's bearer token allows: acting for one node (a node credential), or only enrolling (the
/// configured bootstrap token or an <c>nce_…</c> enrollment token).</summary>
public sealed record AgentGrant(string? NodeName, Guid? CredentialId, Guid? EnrollmentTokenId)
{
    public const string BootstrapTokenId = "bootstrap";

    public bool CanEnroll => NodeName is null;

    public static AgentGrant Bootstrap { get; } = new(null, null, null);

    public static AgentGrant ForNode(NodeCredential credential) => new(credential.NodeName, credential.Id, null);

    public static AgentGrant ForEnrollment(EnrollmentToken token) => new(null, null, token.Id);

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, NodeName is null ? "agent (enrolling)" : $"agent {NodeName}") };
        if (NodeName is not null)
        {
            claims.Add(new Claim(AgentClaims.NodeName, NodeName));
            claims.Add(new Claim(AgentClaims.CredentialId, CredentialId!.Value.ToString()));
        }
        else
        {
            claims.Add(new Claim(AgentClaims.EnrollmentTokenId, EnrollmentTokenId?.ToString() ?? BootstrapTokenId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static AgentGrant? FromPrincipal(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        if (principal.FindFirstValue(AgentClaims.NodeName) is { } node && Guid.TryParse(principal.FindFirstValue(AgentClaims.CredentialId), out var credentialId))
        {
            return new AgentGrant(node, credentialId, null);
        }

        return principal.FindFirstValue(AgentClaims.EnrollmentTokenId) switch
        {
            BootstrapTokenId => Bootstrap,
            { } id when Guid.TryParse(id, out var tokenId) => new AgentGrant(null, null, tokenId),
            _ => null,
        };
    }
}

/// <summary>Claims of an authenticated agent connection.</summary>
public static class AgentClaims
{
    public const string NodeName = "nc:agent-node";
    public const string CredentialId = "nc:agent-credential";
    public const string EnrollmentTokenId = "nc:agent-enrollment";
}

/// <summary>Checks an agent's bearer token: a usable node credential, a usable enrollment token, or the configured
/// bootstrap token when one is set (only its SHA-256 digest is kept). Returns why it refused, never the token.</summary>
public sealed class AgentAuthenticator
{
    private readonly byte[] _bootstrapDigest;
    private readonly IDbContextFactory<NovaCronDbContext> _dbFactory;
    private readonly TimeProvider _time;

    public AgentAuthenticator(IOptions<AgentAuthOptions> options, IDbContextFactory<NovaCronDbContext> dbFactory, TimeProvider time)
    {
        var value = options.Value;
        _bootstrapDigest = !string.IsNullOrWhiteSpace(value.EnrollmentTokenSha256)
            ? Convert.FromHexString(value.EnrollmentTokenSha256)
            : string.IsNullOrEmpty(value.EnrollmentToken) ? [] : SHA256.HashData(Encoding.UTF8.GetBytes(value.EnrollmentToken));
        _dbFactory = dbFactory;
        _time = time;
    }

    public async Task<(AgentGrant? Grant, string? Refusal)> AuthenticateAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return (null, "no bearer token");
        }

        if (Secrets.LookupIdOf(token, NodeCredential.Kind) is { } credentialLookup)
        {
            await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
            var credential = await db.NodeCredentials.AsNoTracking().SingleOrDefaultAsync(c => c.LookupId == credentialLookup, cancellationToken);
            if (credential is null || !Secrets.Matches(token, credential.SecretHash))
            {
                return (null, "unknown node credential");
            }

            return credential.IsUsable ? (AgentGrant.ForNode(credential), null) : (null, $"the credential of node {credential.NodeName} was revoked");
        }

        if (Secrets.LookupIdOf(token, EnrollmentToken.Kind) is { } enrollmentLookup)
        {
            await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
            var enrollment = await db.EnrollmentTokens.AsNoTracking().SingleOrDefaultAsync(t => t.LookupId == enrollmentLookup, cancellationToken);
            if (enrollment is null || !Secrets.Matches(token, enrollment.SecretHash))
            {
                return (null, "unknown enrollment token");
            }

            if (enrollment.RevokedAt is not null)
            {
                return (null, "revoked enrollment token");
            }

            if (_time.GetUtcNow() >= enrollment.ExpiresAt)
            {
                return (null, "expired enrollment token");
            }

            return enrollment.SingleUse && enrollment.UsedAt is not null ? (null, "used enrollment token") : (AgentGrant.ForEnrollment(enrollment), null);
        }

        return _bootstrapDigest.Length > 0 && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), _bootstrapDigest)
            ? (AgentGrant.Bootstrap, null)
            : (null, "unknown token");
    }

    /// <summary>Reads <c>Authorization: Bearer …</c>; never the query string, so tokens stay out of URLs and logs.</summary>
    public static string? BearerToken(HttpContext? context)
    {
        var header = context?.Request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        return header is not null && header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? header[Prefix.Length..].Trim() : null;
    }
}
