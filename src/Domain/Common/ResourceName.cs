using System.Text.RegularExpressions;

namespace NovaCron.Domain.Common;

/// <summary>Names of nodes, VMs and images: DNS-label style (RFC 1123), lower case, 1 to 63 characters.</summary>
public static partial class ResourceName
{
    public const int MaxLength = 63;

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();

    public static Result Validate(string? name, string what)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return Error.Validation("name.required", $"{Description.Article(what)} {what} name is required.");
        }

        if (name.Length > MaxLength)
        {
            return Error.Validation("name.too-long", $"A {what} name has at most {MaxLength} characters; '{name[..20]}…' has {name.Length}.");
        }

        if (!DnsLabel().IsMatch(name))
        {
            return Error.Validation(
                "name.invalid",
                $"'{name}' is not a valid {what} name: use lower-case letters, digits and hyphens, starting and ending with a letter or digit.");
        }

        return Result.Success();
    }
}

/// <summary>Free-text descriptions: trimmed, at most <see cref="MaxLength"/> characters, so a description cannot be
/// used to store or show megabytes.</summary>
public static class Description
{
    public const int MaxLength = 500;

    /// <summary>"A" or "An" before <paramref name="noun"/>.</summary>
    public static string Article(string noun) => noun.Length > 0 && "aeiou".Contains(char.ToLowerInvariant(noun[0]), StringComparison.Ordinal) ? "An" : "A";

    public static Result<string> Validate(string? text, string what)
    {
        var trimmed = (text ?? string.Empty).Trim();
        return trimmed.Length > MaxLength
            ? Error.Validation($"{what.Replace(' ', '-')}.description", $"{Article(what)} {what} description has at most {MaxLength} characters; this one has {trimmed.Length}.")
            : trimmed;
    }
}
