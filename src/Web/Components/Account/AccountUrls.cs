namespace NovaCron.Web.Components.Account;

/// <summary>Return URLs of the account pages: only paths on this site, so a sign-in link cannot send people elsewhere.</summary>
public static class AccountUrls
{
    /// <summary>A local path (<c>/vms/1</c>; a base-relative <c>vms/1</c> is accepted too), else <c>/</c>.</summary>
    public static string SafeReturnUrl(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Contains('\\', StringComparison.Ordinal) || returnUrl.StartsWith("//", StringComparison.Ordinal))
        {
            return "/";
        }

        var path = returnUrl.StartsWith('/') ? returnUrl : "/" + returnUrl;
        return Uri.TryCreate(path, UriKind.Relative, out _) && !path.StartsWith("//", StringComparison.Ordinal) && !path.Contains("://", StringComparison.Ordinal) ? path : "/";
    }

    public static string WithReturnUrl(string path, string? returnUrl) => $"{path}?returnUrl={Uri.EscapeDataString(SafeReturnUrl(returnUrl))}";
}
