using Microsoft.AspNetCore.Http.HttpResults;
using NovaCron.Domain.Common;
using NovaCron.Web.Api;

namespace NovaCron.Web.Features.Audit;

/// <summary>Makes sure every mutating API request leaves an audit record: a handler records its own success or refusal
/// with the target it knows; when a request is refused before or without that (bad input, unknown id), this filter
/// records the refusal with the endpoint's name as the action.</summary>
public sealed class AuditRefusalFilter(AuditLog audit) : IEndpointFilter
{
    private static readonly HashSet<string> Mutating = new(StringComparer.OrdinalIgnoreCase) { "POST", "PUT", "PATCH", "DELETE" };

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!Mutating.Contains(http.Request.Method))
        {
            return await next(context);
        }

        using var scope = AuditLog.BeginScope();
        var result = await next(context);
        if (!scope.Recorded && result is ProblemHttpResult { ProblemDetails: var problem } && problem.Status is >= 400 and < 500)
        {
            var action = AuditActions.For(http);
            var kind = problem.Status == StatusCodes.Status403Forbidden ? ErrorKind.Forbidden : ErrorKind.Validation;
            var error = new Error(kind, problem.Extensions.TryGetValue("code", out var code) ? code?.ToString() ?? "refused" : "refused", problem.Detail ?? problem.Title ?? "refused");
            await audit.RecordRefusalAsync(await ApiActor.OfAsync(http), action, "request", null, http.Request.Path, null, error, http.RequestAborted);
        }

        return result;
    }
}
