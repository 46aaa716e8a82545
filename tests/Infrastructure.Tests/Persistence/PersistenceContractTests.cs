using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Common;
using NovaCron.Domain.Images;
using NovaCron.Domain.Nodes;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence;

namespace NovaCron.Infrastructure.Tests.Persistence;

/// <summary>What every provider must do with the aggregates; run once per provider by the subclasses below.</summary>
public abstract class PersistenceContractTests<TDatabase>(TDatabase database)
    where TDatabase : IDatabaseFixture
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Model_ComparedWithMigrations_HasNoPendingChanges()
    {
        using var db = database.CreateContext();

        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public async Task Node_RoundTrip_KeepsCapacityAllocationAndLabels()
    {
        var node = TestData.Node();
        node.SetAllocation(new Capacity(4, 8192, 100));
        node.SetLabel("rack", "r1");
        node.SetLabel("zone", "eu-1");
        await SaveAsync(node);

        await using var db = database.CreateContext();
        var loaded = await db.Nodes.SingleAsync(n => n.Id == node.Id, Ct);

        Assert.Equal(node.Name, loaded.Name);
        Assert.Equal(new Capacity(16, 65536, 1000), loaded.Capacity);
        Assert.Equal(new Capacity(4, 8192, 100), loaded.Allocated);
        Assert.Equal(NodeStatus.Online, loaded.Status);
        Assert.Equal(TestData.Now, loaded.LastHeartbeat);
        Assert.Equal(TestData.Now, loaded.RegisteredAt);
        Assert.Equal(("1.2.3", "kvm", "10.0.0.5:7070"), (loaded.AgentVersion, loaded.Accelerator, loaded.Address));
        Assert.Equal(new Dictionary<string, string> { ["rack"] = "r1", ["zone"] = "eu-1" }, loaded.Labels);
    }

    [Fact]
    public async Task Node_LabelSetOnTrackedNode_IsSaved()
    {
        var node = TestData.Node();
        await SaveAsync(node);

        await using (var db = database.CreateContext())
        {
            var tracked = await db.Nodes.SingleAsync(n => n.Id == node.Id, Ct);
            tracked.SetLabel("gpu", "none");
            await db.SaveChangesAsync(Ct);
        }

        await using var verify = database.CreateContext();
        var loaded = await verify.Nodes.SingleAsync(n => n.Id == node.Id, Ct);
        Assert.Equal("none", loaded.Labels["gpu"]);
    }

    [Fact]
    public async Task VirtualMachine_RoundTrip_KeepsSpecTagsPlacementAndHistoryInOrder()
    {
        var vm = TestData.Vm(tags: ["prod", "web"]);
        var node = NodeId.New();
        var operation = OperationId.New();
        vm.Place(node, operation, TestData.Now.AddSeconds(1));
        vm.Observe(VmObservation.Provisioned, TestData.Now.AddSeconds(2), "disk created");
        await SaveAsync(vm);

        await using var db = database.CreateContext();
        var loaded = await db.Vms.WithHistory().SingleAsync(v => v.Id == vm.Id, Ct);

        Assert.Equal(vm.Name, loaded.Name);
        Assert.Equal((2, 2048L, 20L, vm.Spec.ImageId), (loaded.Spec.VCpus, loaded.Spec.MemoryMiB, loaded.Spec.DiskGiB, loaded.Spec.ImageId));
        Assert.Equal(["prod", "web"], loaded.Spec.Tags);
        Assert.Equal(node, loaded.NodeId);
        Assert.Equal(operation, loaded.ActiveOperationId);
        Assert.Equal(VmState.Stopped, loaded.State);
        Assert.Equal(vm.Version, loaded.Version);
        Assert.Equal(TestData.Now.AddSeconds(2), loaded.StateChangedAt);
        Assert.Equal(vm.History, loaded.History);
        Assert.Equal(3, loaded.History.Count);
    }

    [Fact]
    public async Task VirtualMachine_StateChangeOnTrackedVm_AppendsHistory()
    {
        var vm = TestData.Vm();
        await SaveAsync(vm);

        await using (var db = database.CreateContext())
        {
            var tracked = await db.Vms.SingleAsync(v => v.Id == vm.Id, Ct);
            tracked.Observe(VmObservation.Failed, TestData.Now.AddMinutes(1), "qemu exited");
            await db.SaveChangesAsync(Ct);
        }

        await using var verify = database.CreateContext();
        var loaded = await verify.Vms.WithHistory().SingleAsync(v => v.Id == vm.Id, Ct);
        Assert.Equal(VmState.Error, loaded.State);
        Assert.Equal("qemu exited", loaded.LastError);
        Assert.Equal(
            [new VmStateChange(VmState.Scheduling, VmState.Scheduling, TestData.Now, "created"),
             new VmStateChange(VmState.Scheduling, VmState.Error, TestData.Now.AddMinutes(1), "qemu exited")],
            loaded.History);
    }

    [Fact]
    public async Task VirtualMachine_LoadedPlainly_LeavesHistoryUnreadYetChangesAppendAfterIt()
    {
        var vm = TestData.Vm();
        vm.Place(NodeId.New(), OperationId.New(), TestData.Now.AddSeconds(1));
        await SaveAsync(vm);

        await using (var db = database.CreateContext())
        {
            var tracked = await db.Vms.SingleAsync(v => v.Id == vm.Id, Ct);
            Assert.Empty(tracked.History);
            tracked.Observe(VmObservation.Provisioned, TestData.Now.AddSeconds(2), "disk created");
            await db.SaveChangesAsync(Ct);
        }

        await using var verify = database.CreateContext();
        var loaded = await verify.Vms.AsNoTracking().WithHistory().SingleAsync(v => v.Id == vm.Id, Ct);
        Assert.Equal(
            [(VmState.Scheduling, "created"), (VmState.Provisioning, "placed on node"), (VmState.Stopped, "disk created")],
            loaded.History.Select(h => (h.To, h.Reason)));
    }

    [Fact]
    public async Task VirtualMachine_SavedFromStaleCopy_ThrowsConcurrencyException()
    {
        var vm = TestData.Vm();
        await SaveAsync(vm);

        await using var first = database.CreateContext();
        await using var second = database.CreateContext();
        var firstCopy = await first.Vms.SingleAsync(v => v.Id == vm.Id, Ct);
        var secondCopy = await second.Vms.SingleAsync(v => v.Id == vm.Id, Ct);

        firstCopy.Observe(VmObservation.Provisioned, TestData.Now.AddSeconds(1), "disk created");
        await first.SaveChangesAsync(Ct);
        secondCopy.Observe(VmObservation.Failed, TestData.Now.AddSeconds(2), "disk failed");

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(Ct));
    }

    [Fact]
    public async Task VirtualMachine_NameOfLiveVmReused_IsRejected()
    {
        var name = TestData.UniqueName("dup");
        await SaveAsync(TestData.Vm(name));

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => SaveAsync(TestData.Vm(name)));
    }

    [Fact]
    public async Task VirtualMachine_NameOfDeletedVmReused_IsAccepted()
    {
        var name = TestData.UniqueName("reuse");
        var deleted = TestData.Vm(name);
        deleted.Observe(VmObservation.Deleted, TestData.Now, "deleted");
        await SaveAsync(deleted);

        await SaveAsync(TestData.Vm(name));

        await using var db = database.CreateContext();
        Assert.Equal(2, await db.Vms.CountAsync(v => v.Name == name, Ct));
    }

    [Fact]
    public async Task Operation_RoundTrip_KeepsFieldsAndLogInOrder()
    {
        var vm = VmId.New();
        var operation = TestData.Operation(vm, TestData.Now);
        operation.ReportProgress(40, "copying disk", TestData.Now.AddSeconds(1));
        operation.ReportProgress(50, "checking", TestData.Now.AddSeconds(1));
        operation.ReportProgress(60, "copying disk", TestData.Now.AddSeconds(1));
        operation.Fail("disk full", TestData.Now.AddSeconds(3));
        await SaveAsync(operation);

        await using var db = database.CreateContext();
        var loaded = await db.Operations.SingleAsync(o => o.Id == operation.Id, Ct);

        Assert.Equal((OperationKinds.VmStart, vm, "vm-1", "alice"), (loaded.Kind, loaded.VmId!.Value, loaded.TargetName, loaded.RequestedBy));
        Assert.Equal((OperationStatus.Failed, 60, "disk full"), (loaded.Status, loaded.Progress, loaded.Error));
        Assert.Equal((TestData.Now, TestData.Now.AddSeconds(1), TestData.Now.AddSeconds(3)), (loaded.QueuedAt, loaded.StartedAt!.Value, loaded.EndedAt!.Value));
        Assert.Equal(TestData.Now.AddMinutes(5), loaded.Deadline);
        Assert.Null(loaded.NodeId);

        // Two identical lines (same time, same text) are both kept.
        Assert.Equal(operation.Log, loaded.Log);
        Assert.Equal(2, loaded.Log.Count(l => l.Message == "copying disk"));
        Assert.Equal(6, loaded.Log.Count);
    }

    [Fact]
    public async Task Operation_LineAppendedOnTrackedOperation_IsSaved()
    {
        var operation = TestData.Operation(VmId.New(), TestData.Now);
        await SaveAsync(operation);

        await using (var db = database.CreateContext())
        {
            var tracked = await db.Operations.SingleAsync(o => o.Id == operation.Id, Ct);
            tracked.Succeed(TestData.Now.AddSeconds(5), "running");
            await db.SaveChangesAsync(Ct);
        }

        await using var verify = database.CreateContext();
        var loaded = await verify.Operations.SingleAsync(o => o.Id == operation.Id, Ct);
        Assert.Equal(OperationStatus.Succeeded, loaded.Status);
        Assert.Equal(["vm.start queued by alice", "started", "running"], loaded.Log.Select(l => l.Message));
    }

    [Fact]
    public async Task Operations_OrderedAndFilteredByQueuedAt_ReturnsChronologicalOrder()
    {
        var vm = VmId.New();
        var late = TestData.Operation(vm, TestData.Now.AddHours(2));
        var early = TestData.Operation(vm, TestData.Now);
        var middle = TestData.Operation(vm, TestData.Now.AddHours(1));
        await SaveAsync(late, early, middle);

        await using var db = database.CreateContext();
        var ordered = await db.Operations.Where(o => o.VmId == vm).OrderBy(o => o.QueuedAt).Select(o => o.Id).ToListAsync(Ct);
        var after = TestData.Now.AddMinutes(30);
        var newest = await db.Operations
            .Where(o => o.VmId == vm && o.QueuedAt > after)
            .OrderByDescending(o => o.QueuedAt)
            .Select(o => o.Id)
            .ToListAsync(Ct);

        Assert.Equal([early.Id, middle.Id, late.Id], ordered);
        Assert.Equal([late.Id, middle.Id], newest);
    }

    [Fact]
    public async Task Image_RoundTrip_KeepsKernelFields()
    {
        var image = TestData.KernelImage();
        image.MarkDefault(true);
        await SaveAsync(image);

        await using var db = database.CreateContext();
        var loaded = await db.Images.SingleAsync(i => i.Id == image.Id, Ct);

        Assert.Equal((image.Name, ImageKind.KernelInitrd, "kernel", true), (loaded.Name, loaded.Kind, loaded.Format, loaded.IsDefault));
        Assert.Equal(("/data/images/vmlinuz", "/data/images/initrd.img", "console=ttyS0"), (loaded.Path, loaded.InitrdPath, loaded.KernelCommandLine));
        Assert.Equal(TestData.Now, loaded.CreatedAt);
    }

    [Fact]
    public async Task Image_NameReused_IsRejected()
    {
        var name = TestData.UniqueName("img");
        await SaveAsync(TestData.KernelImage(name));

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => SaveAsync(TestData.KernelImage(name)));
    }

    private async Task SaveAsync(params object[] entities)
    {
        await using var db = database.CreateContext();
        db.AddRange(entities);
        await db.SaveChangesAsync(Ct);
    }
}

public sealed class SqlitePersistenceTests(SqliteDatabase database)
    : PersistenceContractTests<SqliteDatabase>(database), IClassFixture<SqliteDatabase>;

public sealed class PostgresPersistenceTests(PostgresDatabase database)
    : PersistenceContractTests<PostgresDatabase>(database), IClassFixture<PostgresDatabase>;
