using Microsoft.AspNetCore.SignalR;

namespace NovaCron.Web.Realtime;

/// <summary>Live cluster events for external clients (<c>/hubs/events</c>): the same changes the Blazor UI receives.
/// Client methods: <c>NodeChanged</c>, <c>VmChanged</c>, <c>OperationChanged</c>, <c>ConsoleAppended</c>.</summary>
public sealed class EventsHub : Hub
{
    public const string Path = "/hubs/events";
}

/// <summary>Forwards the in-process feed to <see cref="EventsHub"/> clients.</summary>
public sealed class EventsHubForwarder(ClusterStateFeed feed, IHubContext<EventsHub> hub) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = feed.Subscribe(change => change switch
        {
            NodeChanged e => hub.Clients.All.SendAsync(nameof(NodeChanged), e.Node),
            VmChanged e => hub.Clients.All.SendAsync(nameof(VmChanged), e.Vm),
            OperationChanged e => hub.Clients.All.SendAsync(nameof(OperationChanged), e.Operation),
            ConsoleAppended e => hub.Clients.All.SendAsync(nameof(ConsoleAppended), e.VmId, e.Text),
            _ => Task.CompletedTask,
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }
}
