using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Nodes;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Configuration;
using NovaCron.Web.Features.Audit;
using NovaCron.Web.Features.Vms;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Features.Agents;

/// <summary>Applies what agents report: registration with inventory reconciliation, heartbeats, VM state facts,
/// operation progress and results, console output. Writes are serialised so reports about one VM never race.</summary>
public sealed partial class AgentReportsHandler(
    IDbContextFactory<NovaCronDbContext> dbFactory,
    AgentConnections connections,
    ClusterStateFeed feed,
    IOptions<NovaCronOptions> options,
    AuditLog audit,
    TimeProvider clock,
    ILogger<AgentReportsHandler> logger)
{
    private readonly ConcurrentDictionary<NodeId, string> _nodeNames = new();

    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly ConcurrentDictionary<VmId, (NodeId Node, Domain.Projects.ProjectId Project)> _vmPlacement = new();

    public async Task<Result<AgentWelcome>> RegisterAsync(AgentHello hello, string connectionId, CancellationToken cancellationToken)
    {
        var capacity = new Capacity(hello.Capacity.VCpus, hello.Capacity.MemoryMiB, hello.Capacity.DiskGiB);
        await _writes.WaitAsync(cancellationToken);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var now = clock.GetUtcNow();
            var node = await db.Nodes.SingleOrDefaultAsync(n => n.Name == hello.NodeName, cancellationToken);
            if (node is null)
            {
                var registered = Node.Register(hello.NodeName, hello.Address, capacity, hello.AgentVersion, hello.Accelerator, now);
                if (!registered.IsSuccess)
                {
                    return registered.Error!;
                }

                node = registered.Value!;
                db.Nodes.Add(node);
                LogNodeRegistered(logger, node.Name, node.Accelerator);
            }
            else
            {
                node.Connect(hello.Address, capacity, hello.AgentVersion, hello.Accelerator, now);
            }

            _nodeNames[node.Id] = node.Name;
            var agent = AgentActor(node.Id);
            await audit.RecordAsync(db, agent, "node.register", "node", node.Id.ToString(), node.Name, null, AuditResult.Succeeded,
                $"agent {hello.AgentVersion}, accelerator {hello.Accelerator}, {hello.Inventory.Count} VMs reported", cancellationToken);
            var changedVms = await ReconcileAsync(db, node, hello.Inventory, now, cancellationToken);
            foreach (var vm in changedVms)
            {
                await audit.RecordAsync(db, agent, "vm.reconcile", "vm", vm.Id.ToString(), vm.Name, vm.ProjectId.Value, AuditResult.Succeeded, $"now {vm.State}", cancellationToken);
            }

            await VmCommands.RecomputeAllocationAsync(db, node.Id, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            connections.Bind(node.Id, connectionId);

            var pending = await db.Operations
                .Where(o => o.NodeId == node.Id && (o.Status == OperationStatus.Queued || o.Status == OperationStatus.Running))
                .OrderBy(o => o.QueuedAt)
                .ToListAsync(cancellationToken);
            var commands = new List<AgentCommand>();
            foreach (var operation in pending)
            {
                if (await VmCommands.CommandForAsync(db, operation, cancellationToken) is { } command)
                {
                    commands.Add(command);
                }
            }

            var (cpu, memory) = feed.NodeLoad(node.Id.Value);
            feed.Publish(new NodeChanged(NodeView.From(node, cpu, memory), now));
            foreach (var vm in changedVms)
            {
                feed.Publish(new VmChanged(await VmCommands.ToViewAsync(db, vm, cancellationToken), now));
            }

            return new AgentWelcome(node.Id, TimeSpan.FromSeconds(options.Value.HeartbeatIntervalSeconds), commands);
        }
        finally
        {
            _writes.Release();
        }
    }

    public async Task HeartbeatAsync(NodeId nodeId, AgentHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        feed.SetNodeLoad(nodeId.Value, heartbeat.CpuLoad, heartbeat.MemoryUsedMiB);
        await WriteAsync(
            async db =>
            {
                var node = await db.Nodes.SingleAsync(n => n.Id == nodeId, cancellationToken);
                node.Heartbeat(clock.GetUtcNow());
                await db.SaveChangesAsync(cancellationToken);
                feed.Publish(new NodeChanged(NodeView.From(node, heartbeat.CpuLoad, heartbeat.MemoryUsedMiB), clock.GetUtcNow()));
            },
            cancellationToken);
    }

    public Task VmStateAsync(NodeId nodeId, VmStateReport report, CancellationToken cancellationToken) => WriteAsync(
        async db =>
        {
            var vm = await db.Vms.SingleOrDefaultAsync(v => v.Id == report.VmId && v.NodeId == nodeId, cancellationToken);
            if (vm is null)
            {
                LogUnknownVm(logger, report.VmId.Value, nodeId.Value);
                return;
            }

            var before = vm.State;
            vm.Observe(report.State, clock.GetUtcNow(), report.Reason, report.Fault);
            if (vm.State != before)
            {
                await audit.RecordAsync(db, AgentActor(nodeId), "vm.state", "vm", vm.Id.ToString(), vm.Name, vm.ProjectId.Value, AuditResult.Succeeded,
                    $"{before} → {vm.State}: {report.Reason}", cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                feed.Publish(new VmChanged(await VmCommands.ToViewAsync(db, vm, cancellationToken), clock.GetUtcNow()));
            }
        },
        cancellationToken);

    public Task ProgressAsync(NodeId nodeId, OperationProgressReport report, CancellationToken cancellationToken) => WriteAsync(
        async db =>
        {
            var operation = await db.Operations.SingleOrDefaultAsync(o => o.Id == report.OperationId && o.NodeId == nodeId, cancellationToken);
            if (operation is null || operation.IsFinished)
            {
                return;
            }

            var now = clock.GetUtcNow();
            operation.ReportProgress(report.Percent, report.Message, now);
            await db.SaveChangesAsync(cancellationToken);
            feed.Publish(new OperationChanged(OperationView.From(operation), report.Message, now));
        },
        cancellationToken);

    public Task ResultAsync(NodeId nodeId, OperationResultReport report, CancellationToken cancellationToken) => WriteAsync(
        async db =>
        {
            var operation = await db.Operations.SingleOrDefaultAsync(o => o.Id == report.OperationId && o.NodeId == nodeId, cancellationToken);
            if (operation is null || operation.IsFinished)
            {
                return;
            }

            var now = clock.GetUtcNow();
            if (report.Succeeded)
            {
                operation.Succeed(now);
            }
            else
            {
                operation.Fail(report.Error ?? "the agent reported a failure without a reason", now);
            }

            var vm = operation.VmId is { } vmId ? await db.Vms.SingleOrDefaultAsync(v => v.Id == vmId, cancellationToken) : null;
            if (vm is not null)
            {
                VmState? actual = report.ActualState is { } observed ? VmStateMachine.Observe(vm.State, observed) : null;
                if (!report.Succeeded && operation.Kind == OperationKinds.VmCreate)
                {
                    // A VM whose disk or first start failed is not a healthy stopped VM: it stays in Error until deleted or started again.
                    vm.Observe(VmObservation.Failed, now, report.Error ?? "create failed");
                    actual = VmState.Error;
                }

                if (report.Succeeded && operation.Kind == OperationKinds.VmDelete)
                {
                    vm.Observe(VmObservation.Deleted, now, "disks and process removed");
                    actual = VmState.Deleted;
                    feed.ForgetConsole(vm.Id.Value);
                }

                vm.CompleteOperation(operation.Id, report.Succeeded, actual, report.Error, now);
                await VmCommands.RecomputeAllocationAsync(db, nodeId, cancellationToken);
            }

            await audit.RecordAsync(db, AgentActor(nodeId), operation.Kind + ".result", vm is null ? "operation" : "vm", operation.VmId?.ToString() ?? operation.Id.ToString(),
                operation.TargetName, operation.ProjectId?.Value, report.Succeeded ? AuditResult.Succeeded : AuditResult.Failed,
                report.Succeeded ? $"operation {operation.Id} succeeded" : $"operation {operation.Id} failed: {report.Error}", cancellationToken);

            await db.SaveChangesAsync(cancellationToken);
            feed.Publish(new OperationChanged(OperationView.From(operation), operation.Log[^1].Message, now));
            if (vm is not null)
            {
                feed.Publish(new VmChanged(await VmCommands.ToViewAsync(db, vm, cancellationToken), now));
                var node = await db.Nodes.AsNoTracking().SingleAsync(n => n.Id == nodeId, cancellationToken);
                var (cpu, memory) = feed.NodeLoad(nodeId.Value);
                feed.Publish(new NodeChanged(NodeView.From(node, cpu, memory), now));
            }
        },
        cancellationToken);

    public async Task ConsoleAsync(NodeId nodeId, ConsoleChunk chunk, CancellationToken cancellationToken)
    {
        if (!_vmPlacement.TryGetValue(chunk.VmId, out var placement))
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var found = await db.Vms.Where(v => v.Id == chunk.VmId).Select(v => new { v.NodeId, v.ProjectId }).SingleOrDefaultAsync(cancellationToken);
            if (found?.NodeId is not { } node)
            {
                return;
            }

            placement = _vmPlacement[chunk.VmId] = (node, found.ProjectId);
        }

        if (placement.Node == nodeId)
        {
            feed.Publish(new ConsoleAppended(chunk.VmId.Value, chunk.Text, clock.GetUtcNow(), placement.Project.Value));
        }
    }

    public Task NodeDisconnectedAsync(NodeId nodeId, CancellationToken cancellationToken) => WriteAsync(
        async db =>
        {
            var node = await db.Nodes.SingleOrDefaultAsync(n => n.Id == nodeId, cancellationToken);
            if (node is null)
            {
                return;
            }

            node.Disconnect();
            await audit.RecordAsync(db, AgentActor(nodeId), "node.disconnect", "node", node.Id.ToString(), node.Name, null, AuditResult.Succeeded, $"now {node.Status}", cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            feed.Publish(new NodeChanged(NodeView.From(node), clock.GetUtcNow()));
        },
        cancellationToken);

    /// <summary>Gives up operations past their deadline and marks silent nodes Offline, so nothing stays in progress forever.</summary>
    public Task SuperviseAsync(CancellationToken cancellationToken) => WriteAsync(
        async db =>
        {
            var now = clock.GetUtcNow();
            var overdue = await db.Operations
                .Where(o => (o.Status == OperationStatus.Queued || o.Status == OperationStatus.Running) && o.Deadline < now)
                .ToListAsync(cancellationToken);
            var changedVms = new List<VirtualMachine>();
            foreach (var operation in overdue)
            {
                var reason = operation.Status == OperationStatus.Queued
                    ? "no node agent picked this operation up before its deadline"
                    : "the node agent did not report a result before the deadline";
                operation.Fail(reason, now);
                await audit.RecordAsync(db, Actor.System, operation.Kind + ".expire", "operation", operation.Id.ToString(), operation.TargetName, operation.ProjectId?.Value, AuditResult.Failed, reason, cancellationToken);
                if (operation.VmId is { } vmId && await db.Vms.SingleOrDefaultAsync(v => v.Id == vmId, cancellationToken) is { } vm)
                {
                    vm.CompleteOperation(operation.Id, false, null, reason, now);
                    changedVms.Add(vm);
                    if (vm.NodeId is { } vmNode)
                    {
                        // An expired resize returns the VM to its old size, which frees what it had reserved.
                        await VmCommands.RecomputeAllocationAsync(db, vmNode, cancellationToken);
                    }
                }
            }

            var staleBefore = now - (TimeSpan.FromSeconds(options.Value.HeartbeatIntervalSeconds) * options.Value.MissedHeartbeatsBeforeOffline);
            var silent = await db.Nodes.Where(n => n.Status == NodeStatus.Online && n.LastHeartbeat < staleBefore).ToListAsync(cancellationToken);
            foreach (var node in silent)
            {
                node.Disconnect();
                await audit.RecordAsync(db, Actor.System, "node.offline", "node", node.Id.ToString(), node.Name, null, AuditResult.Succeeded, "missed heartbeats", cancellationToken);
            }

            if (overdue.Count == 0 && silent.Count == 0)
            {
                return;
            }

            await db.SaveChangesAsync(cancellationToken);
            foreach (var operation in overdue)
            {
                feed.Publish(new OperationChanged(OperationView.From(operation), operation.Error, now));
            }

            foreach (var vm in changedVms)
            {
                feed.Publish(new VmChanged(await VmCommands.ToViewAsync(db, vm, cancellationToken), now));
            }

            foreach (var node in silent)
            {
                feed.Publish(new NodeChanged(NodeView.From(node), now));
            }
        },
        cancellationToken);

    private Actor AgentActor(NodeId node)
    {
        var name = _nodeNames.TryGetValue(node, out var known) ? known : node.ToString();
        return new Actor($"node:{name}", $"agent {name}", UserAccess.None);
    }

    /// <summary>The agent's inventory is the truth about what runs; the database keeps intent. VMs the node should have
    /// but does not report are marked Error unless an operation that creates or deletes them is still pending.</summary>
    private static async Task<List<VirtualMachine>> ReconcileAsync(NovaCronDbContext db, Node node, IReadOnlyList<VmInventoryItem> inventory, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reported = inventory.ToDictionary(i => i.VmId);
        var vms = await db.Vms.Where(v => v.NodeId == node.Id && v.State != VmState.Deleted).ToListAsync(cancellationToken);
        var changed = new List<VirtualMachine>();
        foreach (var vm in vms)
        {
            var before = vm.State;
            if (reported.TryGetValue(vm.Id, out var item))
            {
                vm.Observe(item.State, now, $"reported by node '{node.Name}' on connect");
            }
            else if (vm.State is not (VmState.Scheduling or VmState.Provisioning or VmState.Deleting or VmState.Error))
            {
                vm.Observe(VmObservation.Failed, now, $"node '{node.Name}' does not have this VM");
            }

            if (vm.State != before)
            {
                changed.Add(vm);
            }
        }

        return changed;
    }

    private async Task WriteAsync(Func<NovaCronDbContext, Task> write, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            // A person's action may change the same VM meanwhile; reload and apply the report again.
            for (var attempt = 1; ; attempt++)
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                try
                {
                    await write(db);
                    return;
                }
                catch (DbUpdateConcurrencyException) when (attempt < 5)
                {
                    LogConcurrencyRetry(logger, attempt);
                }
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Name} registered (accelerator {Accelerator})")]
    private static partial void LogNodeRegistered(ILogger logger, string name, string accelerator);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {NodeId} reported VM {VmId}, which is not placed there; ignored")]
    private static partial void LogUnknownVm(ILogger logger, Guid vmId, Guid nodeId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Concurrent change while applying an agent report; attempt {Attempt}")]
    private static partial void LogConcurrencyRetry(ILogger logger, int attempt);
}
