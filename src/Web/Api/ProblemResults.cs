using NovaCron.Domain.Common;

namespace NovaCron.Web.Api;

/// <summary>The one place expected failures become HTTP answers: ProblemDetails with a stable <c>type</c> and a sentence.</summary>
public static class ProblemResults
{
    public const string TypePrefix = "https://novacron.dev/problems/";

    public static IResult ToProblem(this Error error) => TypedResults.Problem(
        statusCode: StatusOf(error.Kind),
        title: TitleOf(error.Kind),
        detail: error.Message,
        type: TypePrefix + error.Code,
        extensions: new Dictionary<string, object?> { ["code"] = error.Code });

    public static int StatusOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static string TitleOf(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => "The request is not valid.",
        ErrorKind.NotFound => "Not found.",
        ErrorKind.Conflict => "The request conflicts with the current state.",
        ErrorKind.Unavailable => "The cluster cannot do this right now.",
        ErrorKind.Forbidden => "Forbidden.",
        _ => "Error.",
    };

    public static IResult ToHttp<T>(this Result<T> result, Func<T, IResult> onSuccess) =>
        result.IsSuccess ? onSuccess(result.Value!) : result.Error!.ToProblem();

    /// <summary>The one item of a list the caller may see whose id is <paramref name="id"/>: 200 with it, 404 when
    /// there is none (or the caller may not see it), the list's own error otherwise.</summary>
    public static IResult OneOf<T>(this Result<IReadOnlyList<T>> list, Func<T, Guid> idOf, Guid id, string what) =>
        list.ToHttp(items => items.FirstOrDefault(item => idOf(item) == id) is { } found
            ? TypedResults.Ok(found)
            : Error.NotFound($"{what}.not-found", $"No {what} with id {id}.").ToProblem());
}
