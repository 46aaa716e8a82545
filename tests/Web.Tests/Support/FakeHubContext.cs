using Microsoft.AspNetCore.SignalR;

namespace NovaCron.Web.Tests.Support;

/// <summary>A hub context that records what would be sent to clients instead of sending it.</summary>
internal sealed class FakeHubContext<THub> : IHubContext<THub>
    where THub : Hub
{
    private readonly RecordingClients _clients = new();

    public IHubClients Clients => _clients;

    public IGroupManager Groups { get; } = new NoGroups();

    /// <summary>Every (target, method) sent, in order.</summary>
    public IReadOnlyList<(string Target, string Method)> Sent => _clients.Sent;

    private sealed class RecordingClients : IHubClients
    {
        private readonly List<(string Target, string Method)> _sent = [];

        public IReadOnlyList<(string Target, string Method)> Sent
        {
            get
            {
                lock (_sent)
                {
                    return [.. _sent];
                }
            }
        }

        public IClientProxy All => Proxy("all");

        public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => Proxy("all-except");

        public IClientProxy Client(string connectionId) => Proxy(connectionId);

        public IClientProxy Clients(IReadOnlyList<string> connectionIds) => Proxy(string.Join(',', connectionIds));

        public IClientProxy Group(string groupName) => Proxy($"group:{groupName}");

        public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => Proxy($"group:{groupName}");

        public IClientProxy Groups(IReadOnlyList<string> groupNames) => Proxy($"groups:{string.Join(',', groupNames)}");

        public IClientProxy User(string userId) => Proxy($"user:{userId}");

        public IClientProxy Users(IReadOnlyList<string> userIds) => Proxy($"users:{string.Join(',', userIds)}");

        private RecordingProxy Proxy(string target) => new(target, _sent);
    }

    private sealed class RecordingProxy(string target, List<(string Target, string Method)> sent) : IClientProxy
    {
        public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
        {
            lock (sent)
            {
                sent.Add((target, method));
            }

            return Task.CompletedTask;
        }
    }

    private sealed class NoGroups : IGroupManager
    {
        public Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
