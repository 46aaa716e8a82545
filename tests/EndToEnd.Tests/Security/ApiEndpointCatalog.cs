using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NovaCron.Web.Security;

namespace NovaCron.EndToEnd.Tests.Security;

/// <summary>The REST endpoints as the running application lists them, so a test built on this list covers an endpoint
/// added tomorrow without being told.</summary>
internal static class ApiEndpointCatalog
{
    public static IEnumerable<(string Method, string Pattern, RouteEndpoint Endpoint)> Endpoints(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e.RoutePattern.RawText!, e)));

    /// <summary>The permission the endpoint's policy demands, or null when it names none.</summary>
    public static string? Permission(Endpoint endpoint) =>
        endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => a.Policy)
            .FirstOrDefault(p => p?.StartsWith(PermissionPolicy.Prefix, StringComparison.Ordinal) == true)?[PermissionPolicy.Prefix.Length..];

    public static bool AllowsAnonymous(Endpoint endpoint) => endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;

    /// <summary>Replaces every route parameter <c>{name:constraint}</c> by <paramref name="value"/>(name).</summary>
    public static string Fill(string pattern, Func<string, string> value)
    {
        var builder = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            if (pattern[i] == '{')
            {
                var end = pattern.IndexOf('}', i);
                builder.Append(value(pattern[(i + 1)..end].Split(':')[0]));
                i = end + 1;
            }
            else
            {
                builder.Append(pattern[i++]);
            }
        }

        return builder.ToString();
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string route, string body = "{}")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), route);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }
}
