using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Common;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Features.Agents;
using NovaCron.Web.Realtime;

namespace NovaCron.Web.Features.Vms;

/// <summary>The last step every VM operation shares: save the VM with its new operation (and the audit record the caller
/// added) in one transaction, send the command to the VM's node, then tell the live views.</summary>
public sealed class VmOperationLauncher(CommandDispatcher dispatcher, ClusterStateFeed feed)
{
    public async Task<Result<OperationView>> SaveAndSendAsync(NovaCronDbContext db, VirtualMachine vm, Operation operation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Error.Conflict("vm.changed", $"VM '{vm.Name}' changed while the request was handled; try again.");
        }

        // The command goes out before the views are built: the agent's work should not wait for the UI's.
        if (await VmCommands.CommandForAsync(db, operation, vm, cancellationToken) is { } command)
        {
            await dispatcher.SendAsync(vm.NodeId!.Value, command, cancellationToken);
        }

        var view = OperationView.From(operation);
        feed.Publish(new OperationChanged(view, null, now));
        feed.Publish(new VmChanged(await VmCommands.ToViewAsync(db, vm, cancellationToken), now));
        return view;
    }
}
