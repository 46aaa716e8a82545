using System.Collections.Concurrent;
using System.Text;

namespace NovaCron.Web.Realtime;

/// <summary>The in-process feed of cluster changes. Writers publish after they saved; Blazor components and the events hub
/// subscribe. Delivery is in publish order per subscriber and at-most-once: a subscriber that throws is logged and kept.
/// It also keeps the tail of every VM's serial console, since consoles are streamed, not stored.</summary>
public sealed partial class ClusterStateFeed(ILogger<ClusterStateFeed> logger)
{
    /// <summary>Characters of console output kept per VM.</summary>
    public const int ConsoleTailChars = 64 * 1024;

    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<Guid, StringBuilder> _consoles = new();
    private readonly ConcurrentDictionary<Guid, (double CpuLoad, long MemoryUsedMiB)> _nodeLoad = new();
    private ImmutableSubscribers _subscribers = new([]);

    /// <summary>Subscribes to every change published after this call. Dispose the result to unsubscribe.</summary>
    public IDisposable Subscribe(Func<ClusterEvent, Task> handler)
    {
        lock (_gate)
        {
            _subscribers = new ImmutableSubscribers([.. _subscribers.Handlers, handler]);
        }

        return new Subscription(this, handler);
    }

    public void Publish(ClusterEvent change)
    {
        if (change is ConsoleAppended console)
        {
            var buffer = _consoles.GetOrAdd(console.VmId, _ => new StringBuilder());
            lock (buffer)
            {
                buffer.Append(console.Text);
                if (buffer.Length > ConsoleTailChars)
                {
                    buffer.Remove(0, buffer.Length - ConsoleTailChars);
                }
            }
        }

        foreach (var handler in _subscribers.Handlers)
        {
            _ = InvokeAsync(handler, change);
        }
    }

    public string ConsoleTail(Guid vmId)
    {
        if (!_consoles.TryGetValue(vmId, out var buffer))
        {
            return string.Empty;
        }

        lock (buffer)
        {
            return buffer.ToString();
        }
    }

    public void ForgetConsole(Guid vmId) => _consoles.TryRemove(vmId, out _);

    public void SetNodeLoad(Guid nodeId, double cpuLoad, long memoryUsedMiB) => _nodeLoad[nodeId] = (cpuLoad, memoryUsedMiB);

    public (double? CpuLoad, long? MemoryUsedMiB) NodeLoad(Guid nodeId) =>
        _nodeLoad.TryGetValue(nodeId, out var load) ? (load.CpuLoad, load.MemoryUsedMiB) : (null, null);

    private async Task InvokeAsync(Func<ClusterEvent, Task> handler, ClusterEvent change)
    {
        try
        {
            await handler(change);
        }
        catch (Exception ex)
        {
            LogSubscriberFailed(logger, ex, change.GetType().Name);
        }
    }

    private void Unsubscribe(Func<ClusterEvent, Task> handler)
    {
        lock (_gate)
        {
            _subscribers = new ImmutableSubscribers([.. _subscribers.Handlers.Where(h => h != handler)]);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A cluster feed subscriber failed on {EventType}")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception, string eventType);

    private sealed record ImmutableSubscribers(Func<ClusterEvent, Task>[] Handlers);

    private sealed class Subscription(ClusterStateFeed feed, Func<ClusterEvent, Task> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                feed.Unsubscribe(handler);
            }
        }
    }
}
