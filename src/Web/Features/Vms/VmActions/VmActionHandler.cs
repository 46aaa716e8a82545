using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Configuration;
using NovaCron.Web.Features.Agents;
using NovaCron.Web.Features.Audit;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Features.Vms.VmActions;

/// <summary>Start, stop, force-stop, reboot, pause, resume and delete: checks the state machine, records the operation
/// together with the requested transition, then sends the command to the VM's node.</summary>
public sealed class VmActionHandler(
    IDbContextFactory<NovaCronDbContext> dbFactory,
    CommandDispatcher dispatcher,
    ClusterStateFeed feed,
    IOptions<NovaCronOptions> options,
    AuditLog audit,
    TimeProvider clock)
{
    /// <summary>The permission an action needs in the VM's project.</summary>
    public static string PermissionFor(VmAction action) => action == VmAction.Delete ? Permissions.VmDelete : Permissions.VmPower;

    public async Task<Result<OperationView>> HandleAsync(Guid vmId, VmAction action, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var id = new VmId(vmId);
        var vm = await db.Vms.SingleOrDefaultAsync(v => v.Id == id && v.State != VmState.Deleted, cancellationToken);
        var auditAction = VmCommands.OperationKindOf(action);
        if (vm is null || !actor.Access.Can(Permissions.VmRead, vm.ProjectId))
        {
            // A VM the caller cannot see is reported as missing, so its existence does not leak across projects.
            var missing = Error.NotFound("vm.not-found", $"No VM with id {vmId}.");
            await audit.RecordRefusalAsync(actor, auditAction, "vm", vmId.ToString(), null, null, missing, cancellationToken);
            return missing;
        }

        var refused = Refuse(vm, action, actor);
        if (refused is not null)
        {
            await audit.RecordRefusalAsync(actor, auditAction, "vm", vm.Id.ToString(), vm.Name, vm.ProjectId.Value, refused, cancellationToken);
            return refused;
        }

        var nodeId = vm.NodeId!.Value;

        var now = clock.GetUtcNow();
        var operation = Operation.Queue(auditAction, vm.Id, nodeId, vm.Name, actor.ToString(), now, TimeSpan.FromSeconds(options.Value.OperationTimeoutSeconds), vm.ProjectId);
        var previousOperation = vm.ActiveOperationId;
        var requested = vm.Request(action, operation.Id, now);
        if (!requested.IsSuccess)
        {
            await audit.RecordRefusalAsync(actor, auditAction, "vm", vm.Id.ToString(), vm.Name, vm.ProjectId.Value, requested.Error!, cancellationToken);
            return requested.Error!;
        }

        if (previousOperation is { } superseded && superseded != operation.Id)
        {
            var old = await db.Operations.SingleOrDefaultAsync(o => o.Id == superseded, cancellationToken);
            old?.Fail($"superseded by {VmStateMachine.Describe(action)} ({operation.Id})", now);
        }

        db.Operations.Add(operation);
        await audit.RecordAsync(db, actor, auditAction, "vm", vm.Id.ToString(), vm.Name, vm.ProjectId.Value, AuditResult.Succeeded, $"operation {operation.Id}", cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("vm.changed", $"VM '{vm.Name}' changed while the request was handled; try again.");
        }

        // The command goes out before the views are built: the agent's work should not wait for the UI's.
        var command = await VmCommands.CommandForAsync(db, operation, vm, cancellationToken);
        if (command is not null)
        {
            await dispatcher.SendAsync(nodeId, command, cancellationToken);
        }

        var view = OperationView.From(operation);
        feed.Publish(new OperationChanged(view, null, now));
        feed.Publish(new VmChanged(await VmCommands.ToViewAsync(db, vm, cancellationToken), now));
        return view;
    }

    private static Error? Refuse(VirtualMachine vm, VmAction action, Actor actor)
    {
        var permission = PermissionFor(action);
        if (!actor.Access.Can(permission, vm.ProjectId))
        {
            return Error.MissingPermission(permission, $"on VM '{vm.Name}'");
        }

        return vm.NodeId is null ? Error.Conflict("vm.not-placed", $"VM '{vm.Name}' is not placed on a node yet.") : null;
    }
}
