using NovaCron.Domain.Agents;
using NovaCron.Domain.Hypervisors;

namespace NovaCron.NodeAgent.Reporting;

/// <summary>Forwards what the hypervisor observes to the control plane through the <see cref="AgentOutbox"/>.</summary>
public sealed class HubEventForwarder(AgentOutbox outbox) : IHypervisorEvents
{
    public void StateObserved(VmStateReport report) => outbox.Post(AgentHubMethods.ReportVmState, report);

    public void ConsoleOutput(ConsoleChunk chunk) => outbox.Post(AgentHubMethods.ReportConsole, chunk);
}
