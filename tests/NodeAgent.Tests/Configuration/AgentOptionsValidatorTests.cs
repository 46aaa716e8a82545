using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NovaCron.NodeAgent.Configuration;

namespace NovaCron.NodeAgent.Tests.Configuration;

public sealed class AgentOptionsValidatorTests
{
    [Fact]
    public void Validate_DefaultsWithUrlAndToken_Succeeds()
    {
        var result = new AgentOptionsValidator().Validate(null, Valid());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_BadUrlAndBadAccelerator_ListsBothSettings()
    {
        var options = Valid();
        options.ControlPlaneUrl = "ftp://control";
        options.Accelerator = "hyperv";

        var result = new AgentOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Agent:ControlPlaneUrl must be an absolute http(s) URL", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Agent:Accelerator must be one of auto, kvm, tcg", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RelativeDataDirectoryAndMissingToken_ListsBothSettings()
    {
        var options = Valid();
        options.DataDirectory = "data";
        options.EnrollmentToken = " ";

        var result = new AgentOptionsValidator().Validate(null, options);

        Assert.Contains("Agent:DataDirectory", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Agent:EnrollmentToken", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_HostWithBadSettings_FailsNamingEverySetting()
    {
        var builder = NodeAgentHost.CreateBuilder([], new Dictionary<string, string?>
        {
            ["Agent:ControlPlaneUrl"] = "not a url",
            ["Agent:EnrollmentToken"] = "token",
            ["Agent:Accelerator"] = "fast",
        });
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Agent:ControlPlaneUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("Agent:Accelerator", error.Message, StringComparison.Ordinal);
    }

    private static AgentOptions Valid() => new()
    {
        ControlPlaneUrl = "https://novacron.example",
        EnrollmentToken = "token",
        DataDirectory = "/var/lib/novacron",
        NodeName = "node-1",
    };
}
