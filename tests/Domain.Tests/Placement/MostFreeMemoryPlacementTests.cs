using NovaCron.Domain.Nodes;
using NovaCron.Domain.Placement;

namespace NovaCron.Domain.Tests.Placement;

public sealed class MostFreeMemoryPlacementTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Choose_SeveralNodes_PicksMostFreeMemory()
    {
        var small = Node("small", 4096);
        var big = Node("big", 8192);

        var chosen = MostFreeMemoryPlacement.Choose([small, big], new Capacity(1, 512, 1));

        Assert.Equal("big", chosen.Value!.Name);
    }

    [Fact]
    public void Choose_LargerThanAnyNode_ValidationErrorNamesLargestNode()
    {
        var result = MostFreeMemoryPlacement.Choose([Node("n1", 4096)], new Capacity(1, 999_999, 1));

        Assert.Equal("placement.too-large", result.Error!.Code);
        Assert.Contains("n1", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_OfflineNodeOnly_Unavailable()
    {
        var node = Node("n1", 4096);
        node.Disconnect();

        var result = MostFreeMemoryPlacement.Choose([node], new Capacity(1, 512, 1));

        Assert.Equal("placement.no-online-nodes", result.Error!.Code);
    }

    [Fact]
    public void Choose_NodeFull_NoCapacityConflict()
    {
        var node = Node("n1", 4096);
        node.SetAllocation(new Capacity(1, 3900, 1));

        var result = MostFreeMemoryPlacement.Choose([node], new Capacity(1, 512, 1));

        Assert.Equal("placement.no-capacity", result.Error!.Code);
    }

    private static Node Node(string name, long memoryMiB) => Nodes.Node.Register(name, "127.0.0.1", new Capacity(4, memoryMiB, 100), "1.0", "tcg", Now).Value!;
}
