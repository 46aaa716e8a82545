using NovaCron.Domain.Identity;
using NovaCron.Web.Api;
using NovaCron.Web.Security;

namespace NovaCron.Web.Features.Images;

public static class ImageEndpoints
{
    public static RouteGroupBuilder MapImageEndpoints(this RouteGroupBuilder api)
    {
        var images = api.MapGroup("/images").WithTags("Images");
        images.MapGet("/", async (ImageCatalog catalog, CancellationToken ct) => TypedResults.Ok(await catalog.ListAsync(ct))).WithName("ListImages").RequirePermission(Permissions.VmRead);
        images.MapGet("/{id:guid}", async (Guid id, ImageCatalog catalog, CancellationToken ct) =>
            Domain.Common.Result<IReadOnlyList<ImageView>>.Success(await catalog.ListAsync(ct)).OneOf(i => i.Id, id, "image")).WithName("GetImage").RequirePermission(Permissions.VmRead);
        images.MapPost("/", async (RegisterImageRequest request, ImageCatalog catalog, HttpContext http, CancellationToken ct) =>
            (await catalog.RegisterAsync(request, await ApiActor.OfAsync(http), ct)).ToHttp(image => TypedResults.Created($"/api/v1/images/{image.Id}", image))).WithName("RegisterImage").RequirePermission(Permissions.ImageManage);
        return api;
    }
}
