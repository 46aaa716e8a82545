using NovaCron.Domain.Common;
using NovaCron.Domain.Images;
using NovaCron.Domain.Nodes;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Vms;

namespace NovaCron.Infrastructure.Tests.Persistence;

/// <summary>Builders for aggregates. Times are whole seconds in UTC: PostgreSQL keeps microseconds and UTC only.</summary>
internal static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A unique valid name, since one database is shared by the tests of a class.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    public static VirtualMachine Vm(string? name = null, IReadOnlyList<string>? tags = null) =>
        VirtualMachine.Create(name ?? UniqueName("vm"), new VmSpec(2, 2048, 20, ImageId.New(), tags ?? ["web"]), Now).Value!;

    public static Node Node(string? name = null) =>
        Domain.Nodes.Node.Register(name ?? UniqueName("node"), "10.0.0.5:7070", new Capacity(16, 65536, 1000), "1.2.3", "kvm", Now).Value!;

    public static Operation Operation(VmId vm, DateTimeOffset queuedAt) =>
        Domain.Operations.Operation.Queue(OperationKinds.VmStart, vm, null, "vm-1", "alice", queuedAt, TimeSpan.FromMinutes(5));

    public static Image KernelImage(string? name = null) =>
        Image.RegisterKernel(name ?? UniqueName("img"), "/data/images/vmlinuz", "/data/images/initrd.img", "console=ttyS0", Now).Value!;
}
