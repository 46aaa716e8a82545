namespace NovaCron.NodeAgent.Configuration;

/// <summary>Settings of the node agent, section <c>Agent</c> (environment: <c>Agent__ControlPlaneUrl</c> and so on).</summary>
public sealed class AgentOptions
{
    public const string SectionName = "Agent";

    /// <summary>Base URL of the control plane, e.g. <c>https://novacron.example</c>; the agent connects to its <c>/hubs/agents</c>.</summary>
    public string ControlPlaneUrl { get; set; } = "";

    /// <summary>Used once, to enroll: the agent trades it for a node credential, keeps that in
    /// <c>&lt;DataDirectory&gt;/agent/credential</c> and authenticates with the credential from then on. Not needed
    /// when the credential file exists.</summary>
    public string EnrollmentToken { get; set; } = "";

    /// <summary>Where VMs (<c>vms/</c>) and images (<c>images/</c>) live.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    public string NodeName { get; set; } = Environment.MachineName.ToLowerInvariant();

    /// <summary><c>auto</c>, <c>kvm</c> or <c>tcg</c>.</summary>
    public string Accelerator { get; set; } = "auto";

    /// <summary><c>qemu</c>, or <c>simulated</c> for scale tests only.</summary>
    public string Hypervisor { get; set; } = "qemu";

    public string QemuBinary { get; set; } = "qemu-system-x86_64";

    public string QemuImgBinary { get; set; } = "qemu-img";

    /// <summary>How long a Stop waits for the guest to power off after the ACPI button before QEMU is told to quit.</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(60);

    public static string DefaultDataDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = string.IsNullOrWhiteSpace(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg;
        return Path.Combine(root, "novacron");
    }
}
