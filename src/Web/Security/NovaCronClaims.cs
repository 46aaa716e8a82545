namespace NovaCron.Web.Security;

/// <summary>Claims NovaCron adds to a signed-in principal.</summary>
public static class NovaCronClaims
{
    /// <summary>Space-separated permissions an API token is limited to (absent: the owner's full permissions).</summary>
    public const string TokenPermissions = "nc:token-permissions";

    /// <summary>When the API token the request authenticated with expires, in Unix seconds.</summary>
    public const string TokenExpiresAt = "nc:token-expires";

    /// <summary>The id of the API token the request authenticated with.</summary>
    public const string TokenId = "nc:token-id";

    /// <summary>The authentication scheme that picks cookie or API token per request.</summary>
    public const string Scheme = "NovaCron";
}
