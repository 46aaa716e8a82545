using Microsoft.EntityFrameworkCore;
using NovaCron.Domain.Agents;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Projects;
using NovaCron.Domain.Images;
using NovaCron.Domain.Operations;
using NovaCron.Domain.Placement;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Web.Configuration;
using NovaCron.Web.Features.Agents;
using NovaCron.Web.Features.Audit;
using NovaCron.Web.Features.Images;
using NovaCron.Web.Realtime;
using Microsoft.Extensions.Options;

namespace NovaCron.Web.Features.Vms.CreateVm;

/// <summary>Validates, places and records a new VM with its create operation in one transaction, then sends the command.</summary>
public sealed class CreateVmHandler(
    IDbContextFactory<NovaCronDbContext> dbFactory,
    PlacementLock placementLock,
    CommandDispatcher dispatcher,
    ClusterStateFeed feed,
    IOptions<NovaCronOptions> options,
    AuditLog audit,
    ImageCatalog images,
    TimeProvider clock)
{
    public async Task<Result<VmView>> HandleAsync(CreateVmRequest request, Actor actor, CancellationToken cancellationToken)
    {
        var result = await CreateAsync(request, actor, cancellationToken);
        if (!result.IsSuccess)
        {
            await audit.RecordRefusalAsync(actor, "vm.create", "vm", null, request.Name, null, result.Error!, cancellationToken);
        }

        return result;
    }

    private async Task<Result<VmView>> CreateAsync(CreateVmRequest request, Actor actor, CancellationToken cancellationToken)
    {
        var validName = ResourceName.Validate(request.Name, "VM");
        if (!validName.IsSuccess)
        {
            return validName.Error!;
        }

        var tags = request.Tags ?? [];
        var validSpec = VmSpec.Validate(request.VCpus, request.MemoryMiB, request.DiskGiB, tags);
        if (!validSpec.IsSuccess)
        {
            return validSpec.Error!;
        }

        // Placement reads allocations and writes a new one: serialised so parallel creates never over-allocate a node.
        using var reservation = await placementLock.AcquireAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        var project = string.IsNullOrWhiteSpace(request.Project)
            ? CreatableProjects.Implicit(await CreatableProjects.ForAsync(db, actor.Access, cancellationToken))
            : await FindProjectAsync(db, request.Project, cancellationToken);
        if (!project.IsSuccess)
        {
            return project.Error!;
        }

        if (!actor.Access.Can(Permissions.VmCreate, project.Value!.Id) && !actor.Access.Can(Permissions.VmRead, project.Value.Id))
        {
            // Whoever cannot see a project does not learn that it exists.
            return Error.Validation("project.unknown", $"Unknown project '{request.Project}'.");
        }

        if (!actor.Access.Can(Permissions.VmCreate, project.Value.Id))
        {
            return Error.MissingPermission(Permissions.VmCreate, $"in project '{project.Value.Name}'");
        }

        var image = await FindImageAsync(db, request.Image, cancellationToken);
        if (!image.IsSuccess)
        {
            return image.Error!;
        }

        var backs = images.CheckCanBackDisk(image.Value!, request.DiskGiB);
        if (!backs.IsSuccess)
        {
            return backs.Error!;
        }

        if (await db.Vms.AnyAsync(v => v.Name == request.Name && v.ProjectId == project.Value.Id && v.State != VmState.Deleted, cancellationToken))
        {
            return Error.Conflict("vm.name-taken", $"A VM named '{request.Name}' already exists in project '{project.Value.Name}'.");
        }

        var now = clock.GetUtcNow();
        var created = VirtualMachine.Create(request.Name, new VmSpec(request.VCpus, request.MemoryMiB, request.DiskGiB, image.Value!.Id, [.. tags]), now, project.Value.Id);
        if (!created.IsSuccess)
        {
            return created.Error!;
        }

        var vm = created.Value!;

        // Quota is checked under the same lock as placement, so parallel creates cannot pass it together.
        var usage = await VmCommands.ProjectUsageAsync(db, project.Value.Id, cancellationToken);
        var admitted = project.Value.AdmitVm(usage, vm.Spec.AsCapacity());
        if (!admitted.IsSuccess)
        {
            return admitted.Error!;
        }

        var nodes = await db.Nodes.ToListAsync(cancellationToken);
        var node = MostFreeMemoryPlacement.Choose(nodes, vm.Spec.AsCapacity());
        if (!node.IsSuccess)
        {
            return node.Error!;
        }

        var operation = Operation.Queue(OperationKinds.VmCreate, vm.Id, node.Value!.Id, vm.Name, actor.ToString(), now, TimeSpan.FromSeconds(options.Value.OperationTimeoutSeconds), vm.ProjectId);
        operation.Append(now, $"placed on node '{node.Value.Name}' (most free memory: {node.Value.Free.MemoryMiB} MiB)");
        vm.Place(node.Value.Id, operation.Id, now);
        db.Vms.Add(vm);
        db.Operations.Add(operation);
        await VmCommands.RecomputeAllocationAsync(db, node.Value.Id, cancellationToken);
        await audit.RecordAsync(db, actor, "vm.create", "vm", vm.Id.ToString(), vm.Name, vm.ProjectId.Value, AuditResult.Succeeded,
            $"{vm.Spec.VCpus} vCPUs, {vm.Spec.MemoryMiB} MiB, {vm.Spec.DiskGiB} GiB on node '{node.Value.Name}'", cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Error.Conflict("vm.name-taken", $"A VM named '{request.Name}' already exists.");
        }

        var view = VmView.From(vm, image.Value.Name, node.Value.Name, project.Value.Name);
        feed.Publish(new VmChanged(view, now));
        feed.Publish(new OperationChanged(OperationView.From(operation), null, now));
        feed.Publish(new NodeChanged(NodeView.From(node.Value), now));

        var command = new AgentCommand(operation.Id, AgentCommandKind.Create, vm.Id, VmCommands.Definition(vm, image.Value), request.Start);
        await dispatcher.SendAsync(node.Value.Id, command, cancellationToken);
        return view;
    }

    private static async Task<Result<Project>> FindProjectAsync(NovaCronDbContext db, string nameOrId, CancellationToken cancellationToken)
    {
        var project = Guid.TryParse(nameOrId, out var id)
            ? await db.Projects.FirstOrDefaultAsync(p => p.Id == new ProjectId(id), cancellationToken)
            : await db.Projects.FirstOrDefaultAsync(p => p.Name == nameOrId, cancellationToken);
        return project is null ? Error.Validation("project.unknown", $"Unknown project '{nameOrId}'.") : project;
    }

    private static async Task<Result<Image>> FindImageAsync(NovaCronDbContext db, string? nameOrId, CancellationToken cancellationToken)
    {
        Image? image;
        if (string.IsNullOrWhiteSpace(nameOrId))
        {
            image = await db.Images.FirstOrDefaultAsync(i => i.IsDefault, cancellationToken);
            return image is null
                ? Error.Validation("image.no-default", "No image was given and no default image is registered; run the README's run command to prepare the test guest, or name an image.")
                : image;
        }

        image = Guid.TryParse(nameOrId, out var id)
            ? await db.Images.FirstOrDefaultAsync(i => i.Id == new ImageId(id), cancellationToken)
            : await db.Images.FirstOrDefaultAsync(i => i.Name == nameOrId, cancellationToken);
        return image is null ? Error.Validation("image.unknown", $"Unknown image '{nameOrId}'.") : image;
    }
}
