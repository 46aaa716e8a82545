using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Projects;
using NovaCron.Testing;

namespace NovaCron.EndToEnd.Tests.Security;

/// <summary>Every REST endpoint, taken from the application's own endpoint list, called anonymously, with an expired
/// token, and as each built-in role: allowed exactly when the role grants the endpoint's permission. Ids are random and
/// bodies empty, so an allowed call ends in 400 or 404 and nothing changes; a denied one is 401 or 403.</summary>
public sealed class AuthorizationMatrixTests : IAsyncLifetime
{
    /// <summary>Endpoints every signed-in user may call for themselves (their own API tokens); no permission names them.
    /// Listed one by one, so a new endpoint beside them still has to declare its permission.</summary>
    private static readonly HashSet<string> SelfService =
        ["GET /api/v1/tokens/", "GET /api/v1/tokens/{id:guid}", "POST /api/v1/tokens/", "POST /api/v1/tokens/{id:guid}/revoke"];

    private NovaCronStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await NovaCronStack.StartAsync(withAgent: false);

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public void EveryApiEndpoint_DeclaresItsAuthorization()
    {
        var missing = ApiEndpointCatalog.Endpoints(_stack.WebServices)
            .Where(e => Permission(e.Endpoint) is null && !IsSelfService(e.Method, e.Pattern) && !AllowsAnonymous(e.Endpoint))
            .Select(e => $"{e.Method} {e.Pattern}")
            .ToList();

        Assert.True(missing.Count == 0, "Endpoints without a permission policy: " + string.Join(", ", missing));
        Assert.DoesNotContain(ApiEndpoints(), e => AllowsAnonymous(e.Endpoint));
    }

    [Fact]
    public async Task EveryApiEndpoint_Anonymous_Unauthorized()
    {
        foreach (var (method, route, _) in ApiEndpoints())
        {
            var response = await SendAsync(_stack.Anonymous, method, route);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {route} answered {(int)response.StatusCode} to an anonymous caller");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task EveryApiEndpoint_ExpiredToken_Unauthorized()
    {
        var expired = await _stack.ClientWithTokenAsync(await _stack.AdminIdAsync(), null, TimeSpan.Zero);
        foreach (var (method, route, _) in ApiEndpoints())
        {
            var response = await SendAsync(expired, method, route);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {route} answered {(int)response.StatusCode} to an expired token");
        }
    }

    public static TheoryData<string> BuiltInRoles => new(Role.BuiltIn.Select(r => r.Name));

    [Theory]
    [MemberData(nameof(BuiltInRoles))]
    public async Task EveryApiEndpoint_AsProjectMemberWithRole_AllowedExactlyWhenTheRoleGrantsIt(string roleName)
    {
        var role = Role.BuiltIn.Single(r => r.Name == roleName);
        var client = await _stack.ClientForNewUserAsync($"member-{roleName}", globalRole: null, [(ProjectId.Default, role.Id)]);
        var access = new UserAccess(Guid.NewGuid(), "expected", [], [(ProjectId.Default, role.Permissions)]);
        await AssertMatrixAsync(client, access, roleName);
    }

    [Theory]
    [MemberData(nameof(BuiltInRoles))]
    public async Task EveryApiEndpoint_WithGlobalRole_AllowedExactlyWhenTheRoleGrantsIt(string roleName)
    {
        var role = Role.BuiltIn.Single(r => r.Name == roleName);
        var client = await _stack.ClientForNewUserAsync($"global-{roleName}", role.Id, []);
        var access = new UserAccess(Guid.NewGuid(), "expected", role.Permissions, []);
        await AssertMatrixAsync(client, access, $"global {roleName}");
    }

    [Fact]
    public async Task EveryApiEndpoint_TokenLimitedToVmRead_DeniedEverythingElse()
    {
        var client = await _stack.ClientForNewUserAsync("limited-admin", Role.BuiltIn[0].Id, [], tokenPermissions: [Permissions.VmRead]);
        var access = new UserAccess(Guid.NewGuid(), "expected", Permissions.All.Select(p => p.Name), [], [Permissions.VmRead]);
        await AssertMatrixAsync(client, access, "token limited to vm.read");
    }

    [Fact]
    public async Task EveryMutatingApiEndpoint_CallWithEmptyBody_LeavesAnAuditRecordUnderItsAction()
    {
        var factory = _stack.WebServices.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<NovaCron.Infrastructure.Persistence.NovaCronDbContext>>();
        var missing = new List<string>();
        foreach (var (method, route, endpoint) in ApiEndpoints().Where(e => e.Method != "GET"))
        {
            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "(unnamed)";
            var action = Web.Features.Audit.AuditActions.ByEndpoint.GetValueOrDefault(name, name);
            await using var db = await factory.CreateDbContextAsync();
            var before = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.AuditRecords, r => r.Action == action);
            var response = await SendAsync(_stack.Api, method, route);
            var after = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.AuditRecords, r => r.Action == action);
            if (after <= before)
            {
                missing.Add($"{method} {route} ({(int)response.StatusCode}, expected a record under '{action}')");
            }
        }

        Assert.True(missing.Count == 0, "No audit record for: " + string.Join(", ", missing));
    }

    private async Task AssertMatrixAsync(HttpClient client, UserAccess expected, string who)
    {
        var failures = new StringBuilder();
        foreach (var (method, route, endpoint) in ApiEndpoints())
        {
            var permission = Permission(endpoint);
            var allowed = permission is null || expected.Can(permission);
            var response = await SendAsync(client, method, route);
            var denied = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
            if (allowed == denied || response.StatusCode == HttpStatusCode.InternalServerError)
            {
                failures.AppendLine($"{who}: {method} {route} needs {permission ?? "(sign-in)"}, expected {(allowed ? "allowed" : "denied")}, got {(int)response.StatusCode}");
            }
        }

        Assert.True(failures.Length == 0, failures.ToString());
    }

    private IEnumerable<(string Method, string Route, RouteEndpoint Endpoint)> ApiEndpoints() =>
        ApiEndpointCatalog.Endpoints(_stack.WebServices).Select(e => (e.Method, Concrete(e.Pattern), e.Endpoint));

    private static string? Permission(Endpoint endpoint) => ApiEndpointCatalog.Permission(endpoint);

    private static bool AllowsAnonymous(Endpoint endpoint) => ApiEndpointCatalog.AllowsAnonymous(endpoint);

    private static bool IsSelfService(string method, string pattern) => SelfService.Contains($"{method} {pattern}");

    /// <summary>Fills route parameters with values that name nothing, so an allowed call changes nothing. Membership
    /// routes name the default project (where the tested members hold their role) and an unknown user.</summary>
    private static string Concrete(string pattern)
    {
        if (pattern.StartsWith("/api/v1/projects/{id", StringComparison.Ordinal) && pattern.Contains("/members/", StringComparison.Ordinal))
        {
            pattern = pattern.Replace("{id:guid}", ProjectId.Default.ToString(), StringComparison.Ordinal);
        }

        return ApiEndpointCatalog.Fill(pattern, _ => Guid.NewGuid().ToString());
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string route) => ApiEndpointCatalog.SendAsync(client, method, route);
}
