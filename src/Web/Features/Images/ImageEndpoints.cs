using NovaCron.Web.Api;

namespace NovaCron.Web.Features.Images;

public static class ImageEndpoints
{
    public static RouteGroupBuilder MapImageEndpoints(this RouteGroupBuilder api)
    {
        var images = api.MapGroup("/images").WithTags("Images");
        images.MapGet("/", async (ImageCatalog catalog, CancellationToken ct) => TypedResults.Ok(await catalog.ListAsync(ct))).WithName("ListImages");
        images.MapPost("/", async (RegisterImageRequest request, ImageCatalog catalog, CancellationToken ct) =>
            (await catalog.RegisterAsync(request, ct)).ToHttp(image => TypedResults.Created($"/api/v1/images/{image.Id}", image))).WithName("RegisterImage");
        return api;
    }
}
