using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Projects;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Testing;

namespace NovaCron.EndToEnd.Tests.Security;

/// <summary>Problems a new operator found by trying the product, kept fixed.</summary>
public sealed class TrialRegressionTests : IAsyncLifetime
{
    private NovaCronStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await NovaCronStack.StartAsync(withAgent: false);

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task CreateToken_FromTokenLimitedToVmRead_NewTokenIsLimitedTheSameWay()
    {
        var limited = await _stack.ClientForNewUserAsync("limited", Role.BuiltIn[0].Id, [], tokenPermissions: [Permissions.VmRead]);

        var response = await limited.PostAsJsonAsync("/api/v1/tokens", new { name = "escape", expiresAt = DateTimeOffset.UtcNow.AddHours(1), permissions = (string[]?)null }, NovaCronStack.Json);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var permissions = created.GetProperty("token").GetProperty("permissions").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Equal([Permissions.VmRead], permissions);
        using var escaped = new HttpClient { BaseAddress = _stack.BaseAddress };
        escaped.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.GetProperty("secret").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await escaped.PostAsJsonAsync("/api/v1/roles", new { name = "x", permissions = new[] { Permissions.VmRead } }, NovaCronStack.Json)).StatusCode);
    }

    [Fact]
    public async Task CreateToken_FromShortLivedToken_CannotOutliveItButMayExpireSooner()
    {
        var shortLived = await _stack.ClientWithTokenAsync(await _stack.AdminIdAsync(), null, TimeSpan.FromHours(1));

        var longer = await shortLived.PostAsJsonAsync("/api/v1/tokens", new { name = "long", expiresAt = DateTimeOffset.UtcNow.AddDays(30), permissions = (string[]?)null }, NovaCronStack.Json);
        var sooner = await shortLived.PostAsJsonAsync("/api/v1/tokens", new { name = "short", expiresAt = DateTimeOffset.UtcNow.AddMinutes(30), permissions = (string[]?)null }, NovaCronStack.Json);

        Assert.Equal(HttpStatusCode.BadRequest, longer.StatusCode);
        Assert.EndsWith("token.outlives-creator", (await longer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, sooner.StatusCode);
    }

    [Fact]
    public async Task RevokeToken_FromTokenLimitedToVmRead_CannotRevokeABroaderTokenButMayRevokeItself()
    {
        var userId = await _stack.CreateUserAsync("owner", "Pw-" + Guid.NewGuid().ToString("N"), Role.BuiltIn[0].Id, []);
        var broad = await _stack.ClientWithTokenAsync(userId, null, TimeSpan.FromHours(1));
        var limited = await _stack.ClientWithTokenAsync(userId, [Permissions.VmRead], TimeSpan.FromHours(1));
        var tokens = await _stack.InDbAsync(db => db.ApiTokens.Where(t => t.UserId == userId).ToListAsync());
        var broadId = tokens.Single(t => t.Permissions is null).Id;
        var limitedId = tokens.Single(t => t.Permissions is not null).Id;

        var refused = await limited.PostAsync($"/api/v1/tokens/{broadId}/revoke", null);
        var self = await limited.PostAsync($"/api/v1/tokens/{limitedId}/revoke", null);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await broad.GetAsync("/api/v1/nodes")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, self.StatusCode);
    }

    [Fact]
    public async Task CreateVm_SameNameInTwoProjects_BothAllowed()
    {
        await CreateProjectAsync("one");
        await CreateProjectAsync("two");

        foreach (var project in new[] { "one", "two" })
        {
            var response = await _stack.Api.PostAsJsonAsync("/api/v1/vms", new { name = "web", vCpus = 1, memoryMiB = 128, diskGiB = 1, start = false, project }, NovaCronStack.Json);
            // No agent runs here, so placement answers 503; what matters is that the name is not refused as taken.
            Assert.NotEqual(HttpStatusCode.Conflict, response.StatusCode);
        }
    }

    [Fact]
    public async Task CreateRole_NullPermissionName_BadRequestNotServerError()
    {
        var response = await _stack.Api.PostAsync("/api/v1/roles", new StringContent("""{"name":"r2","description":"d","permissions":[null]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task RefusedByPermission_MutatingRequest_IsAudited()
    {
        var viewer = await _stack.ClientForNewUserAsync("auditee", null, [(ProjectId.Default, Role.BuiltIn.Single(r => r.Name == Role.Viewer).Id)]);

        var response = await viewer.PostAsJsonAsync("/api/v1/vms", new { name = "nope", vCpus = 1, memoryMiB = 128, diskGiB = 1 }, NovaCronStack.Json);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var factory = _stack.WebServices.GetRequiredService<IDbContextFactory<NovaCronDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        Assert.True(await db.AuditRecords.AnyAsync(r => r.Actor == "auditee" && r.Result == Domain.Audit.AuditResult.Denied && r.Action == "vm.create"));
    }

    private async Task CreateProjectAsync(string name)
    {
        var factory = _stack.WebServices.GetRequiredService<IDbContextFactory<NovaCronDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        db.Projects.Add(Project.Create(name, name, Quota.Unlimited, DateTimeOffset.UtcNow).Value!);
        await db.SaveChangesAsync();
    }
}
