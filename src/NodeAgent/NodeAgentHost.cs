using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NovaCron.Domain.Hypervisors;
using NovaCron.NodeAgent.Commands;
using NovaCron.NodeAgent.Configuration;
using NovaCron.NodeAgent.Connection;
using NovaCron.NodeAgent.Hypervisor.Qemu;
using NovaCron.NodeAgent.Hypervisor.Simulated;
using NovaCron.NodeAgent.Reporting;

namespace NovaCron.NodeAgent;

/// <summary>Builds the node agent host; tests use it to run the real agent in-process with configuration overrides.</summary>
public static class NodeAgentHost
{
    public static HostApplicationBuilder CreateBuilder(string[] args, IDictionary<string, string?>? overrides = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        builder.AddNodeAgent();
        return builder;
    }

    public static IHostApplicationBuilder AddNodeAgent(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSystemd();
        builder.Services.AddOptions<AgentOptions>()
            .Bind(builder.Configuration.GetSection(AgentOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();

        builder.Services.AddSingleton<AgentOutbox>();
        builder.Services.AddSingleton<IHypervisorEvents, HubEventForwarder>();
        builder.Services.AddSingleton<IHypervisor>(CreateHypervisor);
        builder.Services.AddSingleton<CommandExecutor>();

        // Hosted services start in order: the hypervisor re-attaches to running VMs before the agent registers.
        builder.Services.AddHostedService<HypervisorStartup>();
        builder.Services.AddHostedService<AgentConnection>();
        return builder;
    }

    private static IHypervisor CreateHypervisor(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<AgentOptions>>().Value;
        var events = services.GetRequiredService<IHypervisorEvents>();
        if (options.Hypervisor == "simulated")
        {
            return new SimulatedHypervisor(events);
        }

        var settings = new QemuHypervisorSettings(options.DataDirectory, options.QemuBinary, options.QemuImgBinary, options.Accelerator);
        return new QemuHypervisor(settings, events, services.GetRequiredService<ILogger<QemuHypervisor>>());
    }

    private sealed class HypervisorStartup(IHypervisor hypervisor) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => hypervisor.InitializeAsync(cancellationToken);

        // Guests keep running; disposing the hypervisor only detaches from them.
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
