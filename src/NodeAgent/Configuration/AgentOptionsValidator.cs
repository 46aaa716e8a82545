using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace NovaCron.NodeAgent.Configuration;

/// <summary>Checks every setting and reports all problems at once, so one restart fixes them all.</summary>
public sealed partial class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    private static readonly string[] Accelerators = ["auto", "kvm", "tcg"];
    private static readonly string[] Hypervisors = ["qemu", "simulated"];

    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        const string S = AgentOptions.SectionName;
        var errors = new List<string>();
        if (!Uri.TryCreate(options.ControlPlaneUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{S}:ControlPlaneUrl must be an absolute http(s) URL; got '{options.ControlPlaneUrl}'.");
        }

        if (string.IsNullOrWhiteSpace(options.EnrollmentToken) && !HasCredential(options.DataDirectory))
        {
            errors.Add($"{S}:EnrollmentToken is required until the node has enrolled (an enrollment token from the control plane; the agent then keeps its own credential in <DataDirectory>/agent/credential).");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory) || !Path.IsPathRooted(options.DataDirectory))
        {
            errors.Add($"{S}:DataDirectory must be an absolute path; got '{options.DataDirectory}'.");
        }

        if (!NodeNamePattern().IsMatch(options.NodeName ?? ""))
        {
            errors.Add($"{S}:NodeName must be 1-63 lower-case letters, digits or '-', starting with a letter or digit; got '{options.NodeName}'.");
        }

        if (!Accelerators.Contains(options.Accelerator))
        {
            errors.Add($"{S}:Accelerator must be one of {string.Join(", ", Accelerators)}; got '{options.Accelerator}'.");
        }

        if (!Hypervisors.Contains(options.Hypervisor))
        {
            errors.Add($"{S}:Hypervisor must be one of {string.Join(", ", Hypervisors)}; got '{options.Hypervisor}'.");
        }

        if (string.IsNullOrWhiteSpace(options.QemuBinary))
        {
            errors.Add($"{S}:QemuBinary is required.");
        }

        if (string.IsNullOrWhiteSpace(options.QemuImgBinary))
        {
            errors.Add($"{S}:QemuImgBinary is required.");
        }

        if (options.StopGracePeriod <= TimeSpan.Zero)
        {
            errors.Add($"{S}:StopGracePeriod must be positive; got '{options.StopGracePeriod}'.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool HasCredential(string? dataDirectory) =>
        !string.IsNullOrWhiteSpace(dataDirectory) && Path.IsPathRooted(dataDirectory) && File.Exists(Connection.AgentCredentialStore.PathFor(dataDirectory));

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex NodeNamePattern();
}
