using NovaCron.Web.Features;

namespace NovaCron.Web.Api;

public static class ApiActor
{
    /// <summary>Until sign-in exists (issue 3) API callers are recorded as anonymous with their address.</summary>
    public static Actor Of(HttpContext http) =>
        new(http.User.Identity?.Name ?? "anonymous", $"api {http.Connection.RemoteIpAddress?.ToString() ?? "unknown"}");
}
