using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace NovaCron.Web.Configuration;

/// <summary>Control-plane settings, section <c>NovaCron</c>.</summary>
public sealed class NovaCronOptions
{
    public const string SectionName = "NovaCron";

    /// <summary>Root for the SQLite database and images. Defaults to <c>$XDG_DATA_HOME/novacron</c> or <c>~/.local/share/novacron</c>.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>How long a VM operation may wait for its agent before it is failed with a reason.</summary>
    [Range(5, 3600)]
    public int OperationTimeoutSeconds { get; set; } = 120;

    [Range(1, 300)]
    public int HeartbeatIntervalSeconds { get; set; } = 5;

    /// <summary>More folders (besides <c>&lt;DataDirectory&gt;/images</c>) that disk images may be registered from.</summary>
    public IList<string> ImageDirectories { get; } = [];

    /// <summary>A node whose last heartbeat is older than this many heartbeat intervals is marked Offline.</summary>
    [Range(2, 100)]
    public int MissedHeartbeatsBeforeOffline { get; set; } = 4;

    public static string DefaultDataDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share") : xdg;
        return Path.Combine(root, "novacron");
    }
}

/// <summary>How node agents authenticate, section <c>Agents</c>. The configuration enrollment token is optional: without
/// it agents enroll only with <c>nce_…</c> tokens an administrator creates. Give the token itself (from an environment
/// variable or a secret store, never the repo) or its SHA-256 hex digest; only the digest is kept in memory. It never
/// re-enrolls a node whose credential was revoked.</summary>
public sealed class AgentAuthOptions
{
    public const string SectionName = "Agents";

    public string? EnrollmentToken { get; set; }

    public string? EnrollmentTokenSha256 { get; set; }
}

internal sealed class AgentAuthOptionsValidator : IValidateOptions<AgentAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentAuthOptions options)
    {
        var errors = new List<string>();
        if (options.EnrollmentToken is { Length: > 0 and < 16 })
        {
            errors.Add("Agents:EnrollmentToken must have at least 16 characters.");
        }

        if (!string.IsNullOrWhiteSpace(options.EnrollmentTokenSha256) && (options.EnrollmentTokenSha256.Length != 64 || !options.EnrollmentTokenSha256.All(Uri.IsHexDigit)))
        {
            errors.Add("Agents:EnrollmentTokenSha256 must be 64 hexadecimal characters (a SHA-256 digest).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
