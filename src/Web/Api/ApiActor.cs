using NovaCron.Web.Features;
using NovaCron.Web.Security;

namespace NovaCron.Web.Api;

public static class ApiActor
{
    /// <summary>The caller of an API request with its access (resolved once per request).</summary>
    public static async Task<Actor> OfAsync(HttpContext http)
    {
        if (http.Items[PermissionHandler.AccessItemKey] is not Domain.Identity.UserAccess access)
        {
            access = await http.RequestServices.GetRequiredService<AccessResolver>().ResolveAsync(http.User, http.RequestAborted);
            http.Items[PermissionHandler.AccessItemKey] = access;
        }

        return new Actor(access.UserName, $"api {http.Connection.RemoteIpAddress?.ToString() ?? "unknown"}", access);
    }
}
