using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NovaCron.Domain.Common;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Configuration;
using NovaCron.Web.Features.Agents;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Features.Vms.VmActions;

/// <summary>Start, stop, force-stop, reboot, pause, resume and delete: checks the state machine, records the operation
/// together with the requested transition, then sends the command to the VM's node.</summary>
public sealed class VmActionHandler(
    IDbContextFactory<NovaCronDbContext> dbFactory,
    CommandDispatcher dispatcher,
    ClusterStateFeed feed,
    IOptions<NovaCronOptions> options,
    TimeProvider clock)
{
    public async Task<Result<OperationView>> HandleAsync(Guid vmId, VmAction action, Actor actor, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var id = new VmId(vmId);
        var vm = await db.Vms.SingleOrDefaultAsync(v => v.Id == id && v.State != VmState.Deleted, cancellationToken);
        if (vm is null)
        {
            return Error.NotFound("vm.not-found", $"No VM with id {vmId}.");
        }

        if (vm.NodeId is not { } nodeId)
        {
            return Error.Conflict("vm.not-placed", $"VM '{vm.Name}' is not placed on a node yet.");
        }

        var now = clock.GetUtcNow();
        var operation = Operation.Queue(VmCommands.OperationKindOf(action), vm.Id, nodeId, vm.Name, actor.ToString(), now, TimeSpan.FromSeconds(options.Value.OperationTimeoutSeconds));
        var previousOperation = vm.ActiveOperationId;
        var requested = vm.Request(action, operation.Id, now);
        if (!requested.IsSuccess)
        {
            return requested.Error!;
        }

        if (previousOperation is { } superseded && superseded != operation.Id)
        {
            var old = await db.Operations.SingleOrDefaultAsync(o => o.Id == superseded, cancellationToken);
            old?.Fail($"superseded by {VmStateMachine.Describe(action)} ({operation.Id})", now);
        }

        db.Operations.Add(operation);
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
}
