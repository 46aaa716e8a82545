using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using NovaCron.Domain.Identity;
using NovaCron.Web.Security;

namespace NovaCron.Web.Realtime;

/// <summary>Live cluster events for external clients (<c>/hubs/events</c>): the same changes the Blazor UI receives,
/// each sent only to callers allowed to see it. Client methods: <c>NodeChanged</c>, <c>VmChanged</c>,
/// <c>OperationChanged</c>, <c>ConsoleAppended</c>. Sign in, or send an API token as <c>Authorization: Bearer</c>.</summary>
[Authorize(Policy = PermissionPolicy.Prefix + Permissions.VmRead)]
public sealed class EventsHub(AccessResolver resolver, EventsHubSessions sessions) : Hub
{
    public const string Path = "/hubs/events";

    public override async Task OnConnectedAsync()
    {
        var access = await resolver.ResolveAsync(Context.User!, Context.ConnectionAborted);
        var groups = GroupsFor(access).ToList();
        foreach (var group in groups)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, group, Context.ConnectionAborted);
        }

        // Rights are checked again while the connection lasts (see EventsHubSessions), not only here.
        sessions.Add(Context, groups);
        await base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Group names: per permission and project, <c>*</c> for every project.</summary>
    public static string Group(string permission, Guid? project) => project is { } p ? $"{permission}:{p}" : $"{permission}:*";

    /// <summary>The groups whose events <paramref name="access"/> may receive.</summary>
    public static IEnumerable<string> GroupsFor(UserAccess access)
    {
        foreach (var permission in new[] { Permissions.VmRead, Permissions.VmConsole })
        {
            if (access.ProjectsWith(permission) is not { } projects)
            {
                yield return Group(permission, null);
                continue;
            }

            foreach (var project in projects)
            {
                yield return Group(permission, project.Value);
            }
        }

        if (access.Can(Permissions.NodeRead))
        {
            yield return Group(Permissions.NodeRead, null);
        }
    }
}

/// <summary>Forwards the in-process feed to <see cref="EventsHub"/> clients, each event to the groups allowed to see it.</summary>
public sealed class EventsHubForwarder(ClusterStateFeed feed, IHubContext<EventsHub> hub) : IHostedService
{
    private IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = feed.Subscribe(change => change switch
        {
            NodeChanged e => hub.Clients.Group(EventsHub.Group(Permissions.NodeRead, null)).SendAsync(nameof(NodeChanged), e.Node),
            VmChanged e => ToProject(Permissions.VmRead, e.Vm.ProjectId).SendAsync(nameof(VmChanged), e.Vm),
            OperationChanged { Operation.ProjectId: { } project } e => ToProject(Permissions.VmRead, project).SendAsync(nameof(OperationChanged), e.Operation),
            OperationChanged e => hub.Clients.Group(EventsHub.Group(Permissions.NodeRead, null)).SendAsync(nameof(OperationChanged), e.Operation),
            ConsoleAppended e => ToProject(Permissions.VmConsole, e.ProjectId).SendAsync(nameof(ConsoleAppended), e.VmId, e.Text),
            _ => Task.CompletedTask,
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    private IClientProxy ToProject(string permission, Guid project) =>
        hub.Clients.Groups(EventsHub.Group(permission, project), EventsHub.Group(permission, null));
}
