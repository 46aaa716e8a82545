using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;

namespace NovaCron.Web.Realtime;

/// <summary>The in-process feed of cluster changes. Writers publish after they saved; Blazor components and the events hub
/// subscribe. Each subscriber has its own queue and pump, so delivery is in publish order per subscriber and a slow
/// subscriber (a browser circuit rendering) never delays the publisher or the others. At-most-once: a subscriber that
/// throws is logged and kept. It also keeps the tail of every VM's serial console, since consoles are streamed, not stored.</summary>
public sealed partial class ClusterStateFeed(ILogger<ClusterStateFeed> logger)
{
    private readonly ILogger<ClusterStateFeed> _logger = logger;

    /// <summary>Characters of console output kept per VM.</summary>
    public const int ConsoleTailChars = 64 * 1024;

    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<Guid, StringBuilder> _consoles = new();
    private readonly ConcurrentDictionary<Guid, (double CpuLoad, long MemoryUsedMiB)> _nodeLoad = new();
    private Subscription[] _subscribers = [];

    /// <summary>Subscribes to every change published after this call. Dispose the result to unsubscribe.</summary>
    public IDisposable Subscribe(Func<ClusterEvent, Task> handler)
    {
        var subscription = new Subscription(this, handler);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, subscription];
        }

        return subscription;
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

        foreach (var subscriber in _subscribers)
        {
            subscriber.Enqueue(change);
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

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            _subscribers = [.. _subscribers.Where(s => s != subscription)];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A cluster feed subscriber failed on {EventType}")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception, string eventType);

    private sealed class Subscription : IDisposable
    {
        private readonly ClusterStateFeed _feed;
        private readonly Func<ClusterEvent, Task> _handler;
        private readonly Channel<ClusterEvent> _queue = Channel.CreateUnbounded<ClusterEvent>(new UnboundedChannelOptions { SingleReader = true });
        private int _disposed;

        public Subscription(ClusterStateFeed feed, Func<ClusterEvent, Task> handler)
        {
            _feed = feed;
            _handler = handler;
            _ = Task.Run(PumpAsync);
        }

        public void Enqueue(ClusterEvent change) => _queue.Writer.TryWrite(change);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _feed.Unsubscribe(this);
                _queue.Writer.TryComplete();
            }
        }

        private async Task PumpAsync()
        {
            await foreach (var change in _queue.Reader.ReadAllAsync())
            {
                try
                {
                    await _handler(change);
                }
                catch (Exception ex)
                {
                    LogSubscriberFailed(_feed._logger, ex, change.GetType().Name);
                }
            }
        }
    }
}
