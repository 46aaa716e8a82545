using System.Security.Cryptography;
using System.Text;

namespace NovaCron.Domain.Identity;

/// <summary>Bearer secrets (API tokens, enrollment tokens, node credentials) have the form
/// <c>&lt;kind&gt;_&lt;lookup id&gt;_&lt;secret&gt;</c>. Only the lookup id and the SHA-256 of the whole token are stored;
/// the token is shown once. The secrets are 256 random bits, so a fast hash is enough (no password stretching).</summary>
public static class Secrets
{
    public static (string Token, string LookupId, string Hash) Generate(string kind)
    {
        var lookup = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = $"{kind}_{lookup}_{secret}";
        return (token, lookup, Hash(token));
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public static bool Matches(string token, string hash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(token)), Encoding.ASCII.GetBytes(hash));

    /// <summary>The lookup id of a token of <paramref name="kind"/>, or null when it is not one.</summary>
    public static string? LookupIdOf(string token, string kind)
    {
        var parts = token.Split('_', 3);
        return parts.Length == 3 && parts[0] == kind && parts[1].Length == 12 ? parts[1] : null;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '-');
}
