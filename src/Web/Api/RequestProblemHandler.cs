using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace NovaCron.Web.Api;

/// <summary>Turns requests the API could not read (malformed JSON, a wrong type, an unknown enum value, a bad route or
/// query value) into a 400 ProblemDetails that says what was wrong, instead of a bare "Bad Request". Anything else that
/// escapes a handler is a bug: a 500 with a trace id and no details. A change refused this way is audited like any other
/// refusal. Messages name fields and values, never .NET types.</summary>
public sealed partial class RequestProblemHandler(IProblemDetailsService problems, ILogger<RequestProblemHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string code;
        string detail;
        if (exception is BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            code = status == StatusCodes.Status413PayloadTooLarge ? "request.too-large" : "request.malformed";
            detail = Describe(bad);
        }
        else
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            status = StatusCodes.Status500InternalServerError;
            code = "internal";
            detail = "Something went wrong on our side; the trace id identifies it in the server log.";
        }

        if (status < 500 && !HttpMethods.IsGet(httpContext.Request.Method) && !HttpMethods.IsHead(httpContext.Request.Method))
        {
            var audit = httpContext.RequestServices.GetRequiredService<Features.Audit.AuditLog>();
            await audit.RecordRefusalAsync(
                // The exception handler runs with the endpoint cleared; the feature keeps the one that failed.
                await ApiActor.OfAsync(httpContext),
                Features.Audit.AuditActions.For(httpContext, httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint),
                "request", null, httpContext.Request.Path, null,
                Domain.Common.Error.Validation(code, detail), cancellationToken);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Type = ProblemResults.TypePrefix + code,
                Title = status == StatusCodes.Status500InternalServerError ? "Unexpected error." : "The request could not be read.",
                Detail = detail,
                Extensions = { ["code"] = code, ["traceId"] = httpContext.Features.Get<IHttpActivityFeature>()?.Activity.Id ?? httpContext.TraceIdentifier },
            },
        });
    }

    private static string Describe(BadHttpRequestException bad) => bad.InnerException switch
    {
        JsonException { Path: "$" } => "The JSON body must be an object holding the request's fields.",
        JsonException json when json.Path is { Length: > 0 } path => $"The JSON body is not valid at {path}: {WithoutTypeNames(FirstSentence(json.Message))}",
        JsonException json => $"The JSON body is not valid: {WithoutTypeNames(FirstSentence(json.Message))}",
        _ when bad.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal) || bad.Message.Contains("was not provided from body", StringComparison.Ordinal) =>
            "This request needs a JSON body.",
        _ when BindFailure().Match(bad.Message) is { Success: true } m => DescribeBindFailure(m.Groups["type"].Value, m.Groups["name"].Value, m.Groups["value"].Value),
        _ => bad.Message,
    };

    /// <summary>A query or route value of the wrong type; for an enumeration, the values it takes.</summary>
    private static string DescribeBindFailure(string type, string name, string value)
    {
        var enumName = type.Replace("Nullable<", string.Empty, StringComparison.Ordinal).TrimEnd('>');
        var enumType = typeof(Domain.Vms.VmState).Assembly.GetTypes().FirstOrDefault(t => t.IsEnum && t.Name == enumName);
        return enumType is null
            ? $"'{value}' is not a valid value for '{name}'."
            : $"'{value}' is not a valid value for '{name}'; use one of: {string.Join(", ", Enum.GetNames(enumType))}.";
    }

    // System.Text.Json names the target type ("could not be converted to NovaCron.…Request"): callers need the field.
    private static string WithoutTypeNames(string message) => TypeName().Replace(message, "the expected type");

    [System.Text.RegularExpressions.GeneratedRegex("Failed to bind parameter \"(?<type>[^ \"]+) (?<name>[^\"]+)\" from \"(?<value>[^\"]*)\"")]
    private static partial System.Text.RegularExpressions.Regex BindFailure();

    [System.Text.RegularExpressions.GeneratedRegex("(System|NovaCron)(\\.[A-Za-z0-9_`]+)+(\\[\\])?")]
    private static partial System.Text.RegularExpressions.Regex TypeName();

    // System.Text.Json messages end with "Path: … | LineNumber: …"; the path is reported separately.
    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0];

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
