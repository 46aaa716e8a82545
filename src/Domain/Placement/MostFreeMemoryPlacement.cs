using NovaCron.Domain.Common;
using NovaCron.Domain.Nodes;

namespace NovaCron.Domain.Placement;

/// <summary>First placement policy: the online node with the most free memory that fits the request.
/// A later scheduler replaces this with filters and weighers; the refusal messages stay this precise.</summary>
public static class MostFreeMemoryPlacement
{
    /// <summary>vCPUs may be over-committed (as Nova's cpu_allocation_ratio); memory and disk may not.
    /// One VM still never gets more vCPUs than the node has cores.</summary>
    public const int CpuAllocationRatio = 8;

    private static bool HasRoomFor(Node node, Capacity request)
    {
        var room = new Capacity(node.Capacity.VCpus * CpuAllocationRatio, node.Capacity.MemoryMiB, node.Capacity.DiskGiB).Subtract(node.Allocated);
        return room.Fits(request);
    }

    public static Result<Node> Choose(IReadOnlyCollection<Node> nodes, Capacity request)
    {
        if (nodes.Count == 0)
        {
            return Error.Unavailable("placement.no-nodes", "No node is registered; start a node agent first.");
        }

        var largest = nodes.MaxBy(n => n.Capacity.MemoryMiB)!;
        if (!nodes.Any(n => n.Capacity.Fits(request)))
        {
            return Error.Validation(
                "placement.too-large",
                $"No node can ever hold {request.VCpus} vCPUs, {request.MemoryMiB} MiB memory and {request.DiskGiB} GiB disk; "
                + $"the largest node ('{largest.Name}') has {largest.Capacity.VCpus} vCPUs, {largest.Capacity.MemoryMiB} MiB and {largest.Capacity.DiskGiB} GiB.");
        }

        var online = nodes.Where(n => n.Status == NodeStatus.Online).ToList();
        if (online.Count == 0)
        {
            return Error.Unavailable("placement.no-online-nodes", "No node is online; check that the node agents are running.");
        }

        var chosen = online.Where(n => HasRoomFor(n, request)).OrderByDescending(n => n.Free.MemoryMiB).ThenBy(n => n.Name, StringComparer.Ordinal).FirstOrDefault();
        if (chosen is null)
        {
            var roomiest = online.MaxBy(n => n.Free.MemoryMiB)!;
            var shortOf = new List<string>();
            if (online.All(n => n.Free.MemoryMiB < request.MemoryMiB))
            {
                shortOf.Add($"memory (most free: {roomiest.Free.MemoryMiB} MiB on '{roomiest.Name}')");
            }

            if (online.All(n => n.Free.DiskGiB < request.DiskGiB))
            {
                var disk = online.MaxBy(n => n.Free.DiskGiB)!;
                shortOf.Add($"disk (most free: {disk.Free.DiskGiB} GiB on '{disk.Name}')");
            }

            if (shortOf.Count == 0)
            {
                shortOf.Add($"vCPUs (each node allows {CpuAllocationRatio} vCPUs per core)");
            }

            return Error.Conflict(
                "placement.no-capacity",
                $"No online node has room for {request.VCpus} vCPUs, {request.MemoryMiB} MiB memory and {request.DiskGiB} GiB disk right now; short of {string.Join(" and ", shortOf)}.");
        }

        return chosen;
    }

    /// <summary>A resize keeps the VM on its node: the node must be able to hold the new size at all, and have room
    /// now for what the resize adds (what it frees counts too).</summary>
    public static Result FitsResize(Node node, Capacity from, Capacity to)
    {
        if (!node.Capacity.Fits(to))
        {
            return Error.Validation(
                "placement.too-large",
                $"Node '{node.Name}' can never hold {to.VCpus} vCPUs, {to.MemoryMiB} MiB memory and {to.DiskGiB} GiB disk; "
                + $"it has {node.Capacity.VCpus} vCPUs, {node.Capacity.MemoryMiB} MiB and {node.Capacity.DiskGiB} GiB.");
        }

        var limit = new Capacity(node.Capacity.VCpus * CpuAllocationRatio, node.Capacity.MemoryMiB, node.Capacity.DiskGiB);
        var others = node.Allocated.Subtract(from);
        var shortOf = new List<string>();
        if (others.VCpus + to.VCpus > limit.VCpus)
        {
            shortOf.Add($"vCPUs ({limit.VCpus - others.VCpus} allowed, {CpuAllocationRatio} per core)");
        }

        if (others.MemoryMiB + to.MemoryMiB > limit.MemoryMiB)
        {
            shortOf.Add($"memory ({limit.MemoryMiB - others.MemoryMiB} MiB available to this VM)");
        }

        if (others.DiskGiB + to.DiskGiB > limit.DiskGiB)
        {
            shortOf.Add($"disk ({limit.DiskGiB - others.DiskGiB} GiB available to this VM)");
        }

        return shortOf.Count == 0
            ? Result.Success()
            : Error.Conflict("placement.no-capacity", $"Node '{node.Name}' has no room to resize to {to.VCpus} vCPUs, {to.MemoryMiB} MiB and {to.DiskGiB} GiB; short of {string.Join(" and ", shortOf)}.");
    }
}
