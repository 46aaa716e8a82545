using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Common;
using NovaCron.Domain.Images;
using NovaCron.Domain.Nodes;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Features.Vms;

/// <summary>Shared pieces of the VM use cases: the agent command for a VM, allocation bookkeeping and view loading.</summary>
public static class VmCommands
{
    public static VmDefinition Definition(VirtualMachine vm, Image image)
    {
        var boot = image.Kind == ImageKind.KernelInitrd
            ? new BootSource(BootSource.KernelKind, image.Path, image.Format, image.InitrdPath, image.KernelCommandLine)
            : new BootSource(BootSource.DiskKind, image.Path, image.Format, null, null);
        return new VmDefinition(vm.Id, vm.Name, vm.Spec.VCpus, vm.Spec.MemoryMiB, vm.Spec.DiskGiB, boot);
    }

    public static AgentCommandKind ToCommand(VmAction action) => action switch
    {
        VmAction.Start => AgentCommandKind.Start,
        VmAction.Stop => AgentCommandKind.Stop,
        VmAction.ForceStop => AgentCommandKind.ForceStop,
        VmAction.Reboot => AgentCommandKind.Reboot,
        VmAction.Pause => AgentCommandKind.Pause,
        VmAction.Resume => AgentCommandKind.Resume,
        VmAction.Delete => AgentCommandKind.Delete,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>Builds the command that carries out an operation on a VM. Used when the operation is created and when it
    /// is sent again after the agent reconnects, so both paths send the same thing.</summary>
    public static async Task<AgentCommand?> CommandForAsync(NovaCronDbContext db, Domain.Operations.Operation operation, CancellationToken cancellationToken)
    {
        if (operation.VmId is not { } vmId)
        {
            return null;
        }

        var vm = await db.Vms.AsNoTracking().SingleOrDefaultAsync(v => v.Id == vmId, cancellationToken);
        return vm is null ? null : await CommandForAsync(db, operation, vm, cancellationToken);
    }

    /// <summary>The same, for a VM the caller already loaded.</summary>
    public static async Task<AgentCommand?> CommandForAsync(NovaCronDbContext db, Domain.Operations.Operation operation, VirtualMachine vm, CancellationToken cancellationToken)
    {
        var kind = operation.Kind switch
        {
            Domain.Operations.OperationKinds.VmCreate => AgentCommandKind.Create,
            Domain.Operations.OperationKinds.VmStart => AgentCommandKind.Start,
            Domain.Operations.OperationKinds.VmStop => AgentCommandKind.Stop,
            Domain.Operations.OperationKinds.VmForceStop => AgentCommandKind.ForceStop,
            Domain.Operations.OperationKinds.VmReboot => AgentCommandKind.Reboot,
            Domain.Operations.OperationKinds.VmPause => AgentCommandKind.Pause,
            Domain.Operations.OperationKinds.VmResume => AgentCommandKind.Resume,
            Domain.Operations.OperationKinds.VmDelete => AgentCommandKind.Delete,
            Domain.Operations.OperationKinds.VmResize => AgentCommandKind.Resize,
            _ => (AgentCommandKind?)null,
        };
        if (kind is not { } k)
        {
            return null;
        }

        // Only commands that make or start a VM, or change its size, need its definition (and so its image).
        VmDefinition? definition = null;
        if (k is AgentCommandKind.Create or AgentCommandKind.Start or AgentCommandKind.Resize
            && await db.Images.AsNoTracking().SingleOrDefaultAsync(i => i.Id == vm.Spec.ImageId, cancellationToken) is { } image)
        {
            definition = Definition(vm, image);
        }

        return new AgentCommand(operation.Id, k, vm.Id, definition, StartAfterCreate: k == AgentCommandKind.Create);
    }

    public static string OperationKindOf(VmAction action) => action switch
    {
        VmAction.Start => Domain.Operations.OperationKinds.VmStart,
        VmAction.Stop => Domain.Operations.OperationKinds.VmStop,
        VmAction.ForceStop => Domain.Operations.OperationKinds.VmForceStop,
        VmAction.Reboot => Domain.Operations.OperationKinds.VmReboot,
        VmAction.Pause => Domain.Operations.OperationKinds.VmPause,
        VmAction.Resume => Domain.Operations.OperationKinds.VmResume,
        VmAction.Delete => Domain.Operations.OperationKinds.VmDelete,
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>Loads a VM the actor acts on. A VM the actor cannot see is reported as missing, so its existence does not
    /// leak across projects; one the actor sees but may not act on is refused naming <paramref name="permission"/>; one
    /// whose node is offline is refused at once (503) rather than queued for an agent that is not there.</summary>
    public static async Task<Result<VirtualMachine>> FindForActionAsync(NovaCronDbContext db, Guid vmId, Features.Actor actor, string permission, CancellationToken cancellationToken)
    {
        var id = new VmId(vmId);
        var vm = await db.Vms.SingleOrDefaultAsync(v => v.Id == id, cancellationToken);
        if (vm is null || !actor.Access.Can(Domain.Identity.Permissions.VmRead, vm.ProjectId))
        {
            return Error.NotFound("vm.not-found", $"No VM with id {vmId}.");
        }

        // A deleted VM stays readable with its history (GET answers it), so acting on it is a conflict, not a 404.
        if (vm.State == VmState.Deleted)
        {
            return Error.Conflict("vm.deleted", $"VM '{vm.Name}' was deleted; nothing can be done with it any more.");
        }

        if (!actor.Access.Can(permission, vm.ProjectId))
        {
            return Error.MissingPermission(permission, $"on VM '{vm.Name}'");
        }

        if (vm.NodeId is not { } nodeId)
        {
            return Error.Conflict("vm.not-placed", $"VM '{vm.Name}' is not placed on a node yet.");
        }

        var node = await db.Nodes.AsNoTracking().Where(n => n.Id == nodeId).Select(n => new { n.Name, n.Status }).SingleOrDefaultAsync(cancellationToken);
        if (node is null || node.Status == NodeStatus.Offline)
        {
            return Error.Unavailable("node.offline", $"VM '{vm.Name}' is on node '{node?.Name ?? nodeId.ToString()}', which is offline; try again when its agent is back.");
        }

        return vm;
    }

    /// <summary>What a project's VMs that are not deleted hold.</summary>
    public static async Task<Domain.Projects.ProjectUsage> ProjectUsageAsync(NovaCronDbContext db, Domain.Projects.ProjectId project, CancellationToken cancellationToken)
    {
        var specs = await db.Vms.Where(v => v.ProjectId == project && v.State != VmState.Deleted).Select(v => v.Spec).ToListAsync(cancellationToken);
        return specs.Aggregate(Domain.Projects.ProjectUsage.None, (usage, spec) => usage.Add(spec.AsCapacity()));
    }

    /// <summary>Recomputes a node's allocation from the VMs placed on it that are not deleted.</summary>
    public static async Task RecomputeAllocationAsync(NovaCronDbContext db, NodeId nodeId, CancellationToken cancellationToken)
    {
        var node = await db.Nodes.SingleOrDefaultAsync(n => n.Id == nodeId, cancellationToken);
        if (node is null)
        {
            return;
        }

        var vms = await db.Vms.Where(v => v.NodeId == nodeId && v.State != VmState.Deleted).ToListAsync(cancellationToken);
        var pending = db.ChangeTracker.Entries<VirtualMachine>().Select(e => e.Entity).Where(v => v.NodeId == nodeId && v.State != VmState.Deleted);
        var all = vms.Concat(pending).DistinctBy(v => v.Id).Where(v => v.State != VmState.Deleted);
        node.SetAllocation(all.Aggregate(Capacity.Zero, (sum, vm) => sum.Add(vm.Spec.AsCapacity())));
    }

    public static async Task<VmView?> LoadViewAsync(NovaCronDbContext db, VmId id, CancellationToken cancellationToken)
    {
        var vm = await db.Vms.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, cancellationToken);
        return vm is null ? null : await ToViewAsync(db, vm, cancellationToken);
    }

    public static async Task<VmView> ToViewAsync(NovaCronDbContext db, VirtualMachine vm, CancellationToken cancellationToken)
    {
        // One round trip for the three names: this sits between an agent's report and the browsers that show it.
        var imageId = vm.Spec.ImageId;
        var nodeId = vm.NodeId;
        var names = await db.Projects.AsNoTracking()
            .Where(p => p.Id == vm.ProjectId)
            .Select(p => new
            {
                Project = p.Name,
                Image = db.Images.Where(i => i.Id == imageId).Select(i => i.Name).FirstOrDefault(),
                Node = db.Nodes.Where(n => n.Id == nodeId).Select(n => n.Name).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        return VmView.From(vm, names?.Image ?? "(deleted image)", nodeId is null ? null : names?.Node, names?.Project ?? "(deleted project)");
    }
}
