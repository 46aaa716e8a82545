using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NovaCron.Web.Configuration;

namespace NovaCron.Web.Features.Agents;

/// <summary>Checks an agent's bearer token against the configured enrollment token. Only a SHA-256 digest is kept.</summary>
public sealed class AgentTokenVerifier
{
    private readonly byte[] _digest;

    public AgentTokenVerifier(IOptions<AgentAuthOptions> options)
    {
        var value = options.Value;
        _digest = !string.IsNullOrWhiteSpace(value.EnrollmentTokenSha256)
            ? Convert.FromHexString(value.EnrollmentTokenSha256)
            : SHA256.HashData(Encoding.UTF8.GetBytes(value.EnrollmentToken ?? string.Empty));
    }

    public bool Verify(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), _digest);
    }

    /// <summary>Reads <c>Authorization: Bearer …</c>; never the query string, so tokens stay out of URLs and logs.</summary>
    public static string? BearerToken(HttpContext? context)
    {
        var header = context?.Request.Headers.Authorization.ToString();
        const string Prefix = "Bearer ";
        return header is not null && header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? header[Prefix.Length..].Trim() : null;
    }
}
