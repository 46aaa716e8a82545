using Microsoft.AspNetCore.Mvc;
using NovaCron.Domain.Vms;
using NovaCron.Domain.Identity;
using NovaCron.Web.Api;
using NovaCron.Web.Security;
using NovaCron.Web.Features.Vms.CreateVm;
using NovaCron.Web.Features.Vms.Queries;
using NovaCron.Web.Features.Vms.ResizeVm;
using NovaCron.Web.Features.Vms.VmActions;

namespace NovaCron.Web.Features.Vms;

public static class VmEndpoints
{
    public static RouteGroupBuilder MapVmEndpoints(this RouteGroupBuilder api)
    {
        var vms = api.MapGroup("/vms").WithTags("VMs");
        vms.MapGet("/", ListAsync).WithName("ListVms").RequirePermission(Permissions.VmRead).Produces<Page<Realtime.VmView>>();
        vms.MapGet("/{id:guid}", GetAsync).WithName("GetVm").RequirePermission(Permissions.VmRead).Produces<Realtime.VmDetail>();
        vms.MapPost("/", CreateAsync).WithName("CreateVm").RequirePermission(Permissions.VmCreate).Produces<Realtime.VmView>(StatusCodes.Status201Created);
        vms.MapDelete("/{id:guid}", (Guid id, VmActionHandler handler, HttpContext http, CancellationToken ct) => ActAsync(id, VmAction.Delete, handler, http, ct))
            .WithName("DeleteVm").RequirePermission(Permissions.VmDelete).Produces<Realtime.OperationView>(StatusCodes.Status202Accepted);
        vms.MapPost("/{id:guid}/resize", ResizeAsync).WithName("ResizeVm").RequirePermission(Permissions.VmResize).Produces<Realtime.OperationView>(StatusCodes.Status202Accepted);
        MapAction(vms, "start", VmAction.Start, "StartVm");
        MapAction(vms, "stop", VmAction.Stop, "StopVm");
        MapAction(vms, "force-stop", VmAction.ForceStop, "ForceStopVm");
        MapAction(vms, "reboot", VmAction.Reboot, "RebootVm");
        MapAction(vms, "pause", VmAction.Pause, "PauseVm");
        MapAction(vms, "resume", VmAction.Resume, "ResumeVm");
        return api;
    }

    private static void MapAction(RouteGroupBuilder vms, string path, VmAction action, string name)
    {
        vms.MapPost($"/{{id:guid}}/{path}", (Guid id, VmActionHandler handler, HttpContext http, CancellationToken ct) => ActAsync(id, action, handler, http, ct))
            .WithName(name).RequirePermission(VmActionHandler.PermissionFor(action)).Produces<Realtime.OperationView>(StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ListAsync(
        VmQueries queries,
        HttpContext http,
        [FromQuery] VmState? state,
        [FromQuery] Guid? nodeId,
        [FromQuery] string? name,
        [FromQuery] string? tag,
        CancellationToken cancellationToken,
        [FromQuery] int offset = 0,
        [FromQuery] int limit = 50)
    {
        var result = await queries.ListAsync(new VmFilter(state, nodeId, name, tag, offset, limit), (await ApiActor.OfAsync(http)).Access, cancellationToken);
        return result.ToHttp(TypedResults.Ok);
    }

    private static async Task<IResult> GetAsync(Guid id, VmQueries queries, HttpContext http, CancellationToken cancellationToken) =>
        (await queries.GetAsync(id, (await ApiActor.OfAsync(http)).Access, cancellationToken)).ToHttp(TypedResults.Ok);

    private static async Task<IResult> CreateAsync(CreateVmRequest request, CreateVmHandler handler, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(request, await ApiActor.OfAsync(http), cancellationToken);
        return result.ToHttp(vm => TypedResults.Created($"/api/v1/vms/{vm.Id}", vm));
    }

    private static async Task<IResult> ResizeAsync(Guid id, ResizeVmRequest request, ResizeVmHandler handler, HttpContext http, CancellationToken cancellationToken) =>
        Accepted(await handler.HandleAsync(id, request, await ApiActor.OfAsync(http), cancellationToken));

    private static IResult Accepted(Domain.Common.Result<Realtime.OperationView> result) =>
        result.ToHttp(operation => TypedResults.Accepted($"/api/v1/operations/{operation.Id}", operation));

    private static async Task<IResult> ActAsync(Guid id, VmAction action, VmActionHandler handler, HttpContext http, CancellationToken cancellationToken)
    {
        return Accepted(await handler.HandleAsync(id, action, await ApiActor.OfAsync(http), cancellationToken));
    }
}
