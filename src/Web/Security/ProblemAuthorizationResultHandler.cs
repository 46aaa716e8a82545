using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using NovaCron.Web.Api;

namespace NovaCron.Web.Security;

/// <summary>API and hub callers get a ProblemDetails 401/403 (never a redirect to the sign-in page); UI requests keep
/// the cookie's redirects to <c>/account/login</c> and <c>/account/access-denied</c>.</summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public static bool IsMachineRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || request.Path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase);

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!IsMachineRequest(context.Request) || !(authorizeResult.Challenged || authorizeResult.Forbidden))
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        if (authorizeResult.Challenged)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            var reason = context.Items[AuthenticationFailure.ItemKey] as string;
            await TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Sign in or send an API token.",
                detail: reason ?? "This request needs a signed-in user or an Authorization: Bearer API token.",
                type: ProblemResults.TypePrefix + "unauthenticated").ExecuteAsync(context);
            return;
        }

        var permission = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<PermissionRequirement>().FirstOrDefault()?.Permission;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            // A refused attempt to change something is itself worth recording.
            var actor = await Api.ApiActor.OfAsync(context);
            var action = Features.Audit.AuditActions.For(context);
            await context.RequestServices.GetRequiredService<Features.Audit.AuditLog>().RecordRefusalAsync(
                actor, action, "request", null, context.Request.Path, null,
                Domain.Common.Error.MissingPermission(permission ?? "(unknown)", "for this request"), context.RequestAborted);
        }

        await TypedResults.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden.",
            detail: permission is null ? "You do not have the permission this request needs." : $"You do not have the permission '{permission}' this request needs.",
            type: ProblemResults.TypePrefix + "forbidden",
            extensions: permission is null ? null : new Dictionary<string, object?> { ["permission"] = permission }).ExecuteAsync(context);
    }
}
