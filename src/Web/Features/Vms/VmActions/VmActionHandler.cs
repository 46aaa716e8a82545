using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Configuration;
using NovaCron.Web.Features.Audit;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Features.Vms.VmActions;

/// <summary>Start, stop, force-stop, reboot, pause, resume and delete: checks the state machine, records the operation
/// together with the requested transition, then sends the command to the VM's node.</summary>
public sealed class VmActionHandler(
    IDbContextFactory<NovaCronDbContext> dbFactory,
    VmOperationLauncher launcher,
    IOptions<NovaCronOptions> options,
    AuditLog audit,
    TimeProvider clock)
{
    /// <summary>The permission an action needs in the VM's project.</summary>
    public static string PermissionFor(VmAction action) => action == VmAction.Delete ? Permissions.VmDelete : Permissions.VmPower;

    public async Task<Result<OperationView>> HandleAsync(Guid vmId, VmAction action, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var auditAction = VmCommands.OperationKindOf(action);
        var found = await VmCommands.FindForActionAsync(db, vmId, actor, PermissionFor(action), cancellationToken);
        if (!found.IsSuccess)
        {
            await audit.RecordRefusalAsync(actor, auditAction, "vm", vmId.ToString(), null, null, found.Error!, cancellationToken);
            return found.Error!;
        }

        var vm = found.Value!;
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
        return await launcher.SaveAndSendAsync(db, vm, operation, now, cancellationToken);
    }
}
