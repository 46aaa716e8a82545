using NovaCron.Domain.Common;

namespace NovaCron.Domain.Nodes;

public enum NodeStatus
{
    Offline,
    Online,
    Maintenance,
}

/// <summary>Resources of a host, or the share of them allocated to VMs.</summary>
public sealed record Capacity(int VCpus, long MemoryMiB, long DiskGiB)
{
    public static readonly Capacity Zero = new(0, 0, 0);

    public Capacity Add(Capacity other) => new(VCpus + other.VCpus, MemoryMiB + other.MemoryMiB, DiskGiB + other.DiskGiB);

    public Capacity Subtract(Capacity other) =>
        new(Math.Max(0, VCpus - other.VCpus), Math.Max(0, MemoryMiB - other.MemoryMiB), Math.Max(0, DiskGiB - other.DiskGiB));

    public bool Fits(Capacity request) => request.VCpus <= VCpus && request.MemoryMiB <= MemoryMiB && request.DiskGiB <= DiskGiB;
}

/// <summary>A hypervisor host run by one node agent.</summary>
public sealed class Node
{
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);

    private Node()
    {
        Name = string.Empty;
        Address = string.Empty;
        AgentVersion = string.Empty;
        Accelerator = string.Empty;
        Capacity = Capacity.Zero;
        Allocated = Capacity.Zero;
    }

    public NodeId Id { get; private set; }

    public string Name { get; private set; }

    public string Address { get; private set; }

    public Capacity Capacity { get; private set; }

    public Capacity Allocated { get; private set; }

    public NodeStatus Status { get; private set; }

    public DateTimeOffset? LastHeartbeat { get; private set; }

    public DateTimeOffset RegisteredAt { get; private set; }

    public string AgentVersion { get; private set; }

    /// <summary>The accelerator the agent actually uses for guests (<c>kvm</c> or <c>tcg</c>).</summary>
    public string Accelerator { get; private set; }

    public IReadOnlyDictionary<string, string> Labels => _labels;

    public Capacity Free => Capacity.Subtract(Allocated);

    public static Result<Node> Register(string name, string address, Capacity capacity, string agentVersion, string accelerator, DateTimeOffset now)
    {
        var valid = ResourceName.Validate(name, "node");
        if (!valid.IsSuccess)
        {
            return valid.Error!;
        }

        var node = new Node
        {
            Id = NodeId.New(),
            Name = name,
            RegisteredAt = now,
        };
        node.Connect(address, capacity, agentVersion, accelerator, now);
        return node;
    }

    /// <summary>The agent (re)connected and told us what the host is.</summary>
    public void Connect(string address, Capacity capacity, string agentVersion, string accelerator, DateTimeOffset now)
    {
        Address = address;
        Capacity = capacity;
        AgentVersion = agentVersion;
        Accelerator = accelerator;
        LastHeartbeat = now;
        if (Status != NodeStatus.Maintenance)
        {
            Status = NodeStatus.Online;
        }
    }

    public void Heartbeat(DateTimeOffset now)
    {
        LastHeartbeat = now;
        if (Status == NodeStatus.Offline)
        {
            Status = NodeStatus.Online;
        }
    }

    public void Disconnect() => Status = Status == NodeStatus.Maintenance ? NodeStatus.Maintenance : NodeStatus.Offline;

    public void SetLabel(string key, string value) => _labels[key] = value;

    /// <summary>Replaces the allocation with the sum the control plane computed from the VMs placed here.</summary>
    public void SetAllocation(Capacity allocated) => Allocated = allocated;
}
