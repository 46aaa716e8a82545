using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Placement;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Configuration;
using NovaCron.Web.Features.Audit;
using NovaCron.Web.Features.Images;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Features.Vms.ResizeVm;

/// <summary>Changes a stopped VM's vCPUs, memory and disk size. Quota and the node's room are checked under the
/// placement lock, so parallel resizes and creates cannot pass a limit together; the new size is reserved at once and
/// undone if the node fails to grow the disk.</summary>
public sealed class ResizeVmHandler(
    IDbContextFactory<NovaCronDbContext> dbFactory,
    PlacementLock placementLock,
    VmOperationLauncher launcher,
    ClusterStateFeed feed,
    IOptions<NovaCronOptions> options,
    AuditLog audit,
    ImageCatalog images,
    TimeProvider clock)
{
    public async Task<Result<OperationView>> HandleAsync(Guid vmId, ResizeVmRequest request, Actor actor, CancellationToken cancellationToken)
    {
        using var reservation = await placementLock.AcquireAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await VmCommands.FindForActionAsync(db, vmId, actor, Permissions.VmResize, cancellationToken);
        if (!found.IsSuccess)
        {
            await audit.RecordRefusalAsync(actor, OperationKinds.VmResize, "vm", vmId.ToString(), null, null, found.Error!, cancellationToken);
            return found.Error!;
        }

        var vm = found.Value!;
        var result = await ResizeAsync(db, vm, request, actor, cancellationToken);
        if (!result.IsSuccess)
        {
            await audit.RecordRefusalAsync(actor, OperationKinds.VmResize, "vm", vm.Id.ToString(), vm.Name, vm.ProjectId.Value, result.Error!, cancellationToken);
        }

        return result;
    }

    private async Task<Result<OperationView>> ResizeAsync(NovaCronDbContext db, VirtualMachine vm, ResizeVmRequest request, Actor actor, CancellationToken cancellationToken)
    {
        if (request.VCpus is null && request.MemoryMiB is null && request.DiskGiB is null)
        {
            return Error.Validation("vm.resize-empty", "Give at least one of vCpus, memoryMiB and diskGiB.");
        }

        var from = vm.Spec.Size;
        var to = new VmSize(request.VCpus ?? from.VCpus, request.MemoryMiB ?? from.MemoryMiB, request.DiskGiB ?? from.DiskGiB);
        var nodeId = vm.NodeId!.Value;
        var now = clock.GetUtcNow();
        var operation = Operation.Queue(OperationKinds.VmResize, vm.Id, nodeId, vm.Name, actor.ToString(), now, TimeSpan.FromSeconds(options.Value.OperationTimeoutSeconds), vm.ProjectId);
        var requested = vm.RequestResize(to, operation.Id, now);
        if (!requested.IsSuccess)
        {
            return requested.Error!;
        }

        if (request.DiskGiB is not null)
        {
            // Growing the disk to less than its image's size would leave it at the image's size while quota and
            // placement count the smaller one.
            var image = await db.Images.AsNoTracking().FirstOrDefaultAsync(i => i.Id == vm.Spec.ImageId, cancellationToken);
            var backs = image is null ? Result.Success() : images.CheckCanBackDisk(image, to.DiskGiB);
            if (!backs.IsSuccess)
            {
                return backs.Error!;
            }
        }

        var project = await db.Projects.SingleAsync(p => p.Id == vm.ProjectId, cancellationToken);
        var usage = await VmCommands.ProjectUsageAsync(db, vm.ProjectId, cancellationToken);
        var admitted = project.AdmitResize(usage, from.AsCapacity(), to.AsCapacity());
        if (!admitted.IsSuccess)
        {
            return admitted.Error!;
        }

        var node = await db.Nodes.SingleAsync(n => n.Id == nodeId, cancellationToken);
        var fits = MostFreeMemoryPlacement.FitsResize(node, from.AsCapacity(), to.AsCapacity());
        if (!fits.IsSuccess)
        {
            return fits.Error!;
        }

        operation.Append(now, $"resize from {from} to {to}");
        db.Operations.Add(operation);
        await VmCommands.RecomputeAllocationAsync(db, nodeId, cancellationToken);
        await audit.RecordAsync(db, actor, OperationKinds.VmResize, "vm", vm.Id.ToString(), vm.Name, vm.ProjectId.Value, AuditResult.Succeeded,
            $"from {from} to {to}; operation {operation.Id}", cancellationToken);
        var launched = await launcher.SaveAndSendAsync(db, vm, operation, now, cancellationToken);
        if (launched.IsSuccess)
        {
            feed.Publish(new NodeChanged(NodeView.From(node), now));
        }

        return launched;
    }
}
