using NovaCron.Domain.Identity;
using NovaCron.Web.Api;
using NovaCron.Web.Security;

namespace NovaCron.Web.Features.Agents;

/// <summary>The answer to revoking a node's credentials.</summary>
public sealed record RevokedCredentials(string Node, int Revoked);

/// <summary>REST for enrollment tokens and node credentials; all need <see cref="Permissions.NodeManage"/>.</summary>
public static class EnrollmentEndpoints
{
    public static RouteGroupBuilder MapEnrollmentEndpoints(this RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/enrollment-tokens").WithTags("Enrollment").RequirePermission(Permissions.NodeManage);
        tokens.MapGet("/", ListAsync).WithName("ListEnrollmentTokens");
        tokens.MapGet("/{id:guid}", async (Guid id, EnrollmentService service, CancellationToken ct) =>
            Domain.Common.Result<IReadOnlyList<EnrollmentTokenView>>.Success(await service.ListAsync(ct)).OneOf(t => t.Id, id, "enrollment-token")).WithName("GetEnrollmentToken");
        tokens.MapPost("/", CreateAsync).WithName("CreateEnrollmentToken");
        tokens.MapPost("/{id:guid}/revoke", RevokeAsync).WithName("RevokeEnrollmentToken");
        api.MapPost("/nodes/{name}/revoke-credential", RevokeCredentialAsync).WithTags("Enrollment").WithName("RevokeNodeCredential").RequirePermission(Permissions.NodeManage);
        return api;
    }

    private static async Task<IResult> ListAsync(EnrollmentService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct));

    private static async Task<IResult> CreateAsync(CreateEnrollmentTokenRequest request, EnrollmentService service, HttpContext http, CancellationToken ct) =>
        (await service.CreateAsync(request, await ApiActor.OfAsync(http), ct)).ToHttp(created => TypedResults.Created($"/api/v1/enrollment-tokens/{created.Token.Id}", created));

    private static async Task<IResult> RevokeAsync(Guid id, EnrollmentService service, HttpContext http, CancellationToken ct) =>
        (await service.RevokeAsync(id, await ApiActor.OfAsync(http), ct)).ToHttp(TypedResults.Ok);

    private static async Task<IResult> RevokeCredentialAsync(string name, EnrollmentService service, HttpContext http, CancellationToken ct) =>
        (await service.RevokeNodeCredentialsAsync(name, await ApiActor.OfAsync(http), ct)).ToHttp(count => TypedResults.Ok(new RevokedCredentials(name, count)));
}
