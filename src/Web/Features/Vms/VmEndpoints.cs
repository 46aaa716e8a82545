using Microsoft.AspNetCore.Mvc;
using NovaCron.Domain.Vms;
using NovaCron.Web.Api;
using NovaCron.Web.Features.Vms.CreateVm;
using NovaCron.Web.Features.Vms.Queries;
using NovaCron.Web.Features.Vms.VmActions;

namespace NovaCron.Web.Features.Vms;

public static class VmEndpoints
{
    public static RouteGroupBuilder MapVmEndpoints(this RouteGroupBuilder api)
    {
        var vms = api.MapGroup("/vms").WithTags("VMs");
        vms.MapGet("/", ListAsync).WithName("ListVms");
        vms.MapGet("/{id:guid}", GetAsync).WithName("GetVm");
        vms.MapPost("/", CreateAsync).WithName("CreateVm");
        vms.MapDelete("/{id:guid}", (Guid id, VmActionHandler handler, HttpContext http, CancellationToken ct) => ActAsync(id, VmAction.Delete, handler, http, ct)).WithName("DeleteVm");
        vms.MapPost("/{id:guid}/start", (Guid id, VmActionHandler handler, HttpContext http, CancellationToken ct) => ActAsync(id, VmAction.Start, handler, http, ct)).WithName("StartVm");
        vms.MapPost("/{id:guid}/stop", (Guid id, VmActionHandler handler, HttpContext http, CancellationToken ct) => ActAsync(id, VmAction.Stop, handler, http, ct)).WithName("StopVm");
        vms.MapPost("/{id:guid}/force-stop", (Guid id, VmActionHandler handler, HttpContext http, CancellationToken ct) => ActAsync(id, VmAction.ForceStop, handler, http, ct)).WithName("ForceStopVm");
        vms.MapPost("/{id:guid}/reboot", (Guid id, VmActionHandler handler, HttpContext http, CancellationToken ct) => ActAsync(id, VmAction.Reboot, handler, http, ct)).WithName("RebootVm");
        vms.MapPost("/{id:guid}/pause", (Guid id, VmActionHandler handler, HttpContext http, CancellationToken ct) => ActAsync(id, VmAction.Pause, handler, http, ct)).WithName("PauseVm");
        vms.MapPost("/{id:guid}/resume", (Guid id, VmActionHandler handler, HttpContext http, CancellationToken ct) => ActAsync(id, VmAction.Resume, handler, http, ct)).WithName("ResumeVm");
        return api;
    }

    private static async Task<IResult> ListAsync(
        VmQueries queries,
        [FromQuery] VmState? state,
        [FromQuery] Guid? nodeId,
        [FromQuery] string? name,
        [FromQuery] string? tag,
        CancellationToken cancellationToken,
        [FromQuery] int offset = 0,
        [FromQuery] int limit = 50)
    {
        var result = await queries.ListAsync(new VmFilter(state, nodeId, name, tag, offset, limit), cancellationToken);
        return result.ToHttp(TypedResults.Ok);
    }

    private static async Task<IResult> GetAsync(Guid id, VmQueries queries, CancellationToken cancellationToken) =>
        (await queries.GetAsync(id, cancellationToken)).ToHttp(TypedResults.Ok);

    private static async Task<IResult> CreateAsync(CreateVmRequest request, CreateVmHandler handler, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(request, ApiActor.Of(http), cancellationToken);
        return result.ToHttp(vm => TypedResults.Created($"/api/v1/vms/{vm.Id}", vm));
    }

    private static async Task<IResult> ActAsync(Guid id, VmAction action, VmActionHandler handler, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await handler.HandleAsync(id, action, ApiActor.Of(http), cancellationToken);
        return result.ToHttp(operation => TypedResults.Accepted($"/api/v1/operations/{operation.Id}", operation));
    }
}
