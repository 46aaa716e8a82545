using System.Threading.Channels;

namespace NovaCron.NodeAgent.Reporting;

/// <summary>One message for the control plane's agent hub.</summary>
public sealed record OutboxMessage(string Method, object Payload);

/// <summary>Everything the agent tells the control plane goes through here, in order. While the agent is disconnected
/// messages wait here; the buffer is bounded and drops the oldest messages first (console output and state reports are
/// superseded by the inventory sent on reconnect). Delivery is at least once: a message whose send failed is sent again.</summary>
public sealed class AgentOutbox
{
    public const int Capacity = 10_000;

    private readonly Channel<OutboxMessage> _channel = Channel.CreateBounded<OutboxMessage>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public ChannelReader<OutboxMessage> Reader => _channel.Reader;

    public void Post(string method, object payload) => _channel.Writer.TryWrite(new OutboxMessage(method, payload));
}
