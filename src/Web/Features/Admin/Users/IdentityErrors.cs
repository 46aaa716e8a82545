using Microsoft.AspNetCore.Identity;
using NovaCron.Domain.Common;

namespace NovaCron.Web.Features.Admin.Users;

/// <summary>Turns ASP.NET Core Identity's failures into one readable <see cref="Error"/>.</summary>
internal static class IdentityErrors
{
    public static Error ToError(IdentityResult result, string code)
    {
        var message = string.Join(" ", result.Errors.Select(e => e.Description));
        return result.Errors.Any(e => e.Code is "DuplicateUserName" or "ConcurrencyFailure")
            ? Error.Conflict(code, message)
            : Error.Validation(code, message);
    }

    public static Error UserNotFoundByName(string name) => Error.NotFound("user.not-found", $"No user named '{name}'.");

    public static Error UserNotFound(Guid id) => Error.NotFound("user.not-found", $"No user with id {id}.");
}
