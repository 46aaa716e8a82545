using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace NovaCron.Web.Api;

/// <summary>Turns requests the API could not read (malformed JSON, a wrong type, an unknown enum value, a bad route or
/// query value) into a 400 ProblemDetails that says what was wrong, instead of a bare "Bad Request". Anything else that
/// escapes a handler is a bug: a 500 with a trace id and no details.</summary>
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
        JsonException json when json.Path is { Length: > 0 } path => $"The JSON body is not valid at {path}: {FirstSentence(json.Message)}",
        JsonException json => $"The JSON body is not valid: {FirstSentence(json.Message)}",
        _ => bad.Message,
    };

    // System.Text.Json messages end with "Path: … | LineNumber: …"; the path is reported separately.
    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0];

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
