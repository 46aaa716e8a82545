using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Testing;
using NovaCron.Web.Features.Audit;
using NovaCron.Web.Realtime;

namespace NovaCron.EndToEnd.Tests.Security;

/// <summary>Every mutating REST endpoint, taken from the application's own endpoint list, called once with valid input
/// by an administrator against a real agent and guest: each call succeeds and leaves a new succeeded audit record by its
/// caller. A mutating endpoint this walk does not call fails the test, so a new one has to be added here.</summary>
public sealed class AuditCompletenessTests : IAsyncLifetime
{
    private static readonly TimeSpan GuestTimeout = TimeSpan.FromSeconds(120);

    private readonly HashSet<string> _called = [];
    private NovaCronStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await NovaCronStack.StartAsync();

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task EveryMutatingApiEndpoint_SucceedingCall_LeavesASucceededAuditRecordByItsCaller()
    {
        var viewer = Role.BuiltIn.Single(r => r.Name == Role.Viewer).Id.Value;
        var project = await CallAsync("POST", "/api/v1/projects/", "/api/v1/projects", new { name = "audited", description = (string?)null, quota = (object?)null });
        var projectId = project.GetProperty("id").GetString();
        await CallAsync("PUT", "/api/v1/projects/{id:guid}", $"/api/v1/projects/{projectId}", new { description = "walk", quota = new { maxVms = 5 } });
        var role = await CallAsync("POST", "/api/v1/roles/", "/api/v1/roles", new { name = "audit-walker", description = (string?)null, permissions = new[] { Permissions.VmRead } });
        var roleId = role.GetProperty("id").GetString();
        await CallAsync("PUT", "/api/v1/roles/{id:guid}/permissions", $"/api/v1/roles/{roleId}/permissions", new { permissions = new[] { Permissions.VmRead, Permissions.VmPower } });
        var user = await CallAsync("POST", "/api/v1/users/", "/api/v1/users", new { userName = "walker", displayName = "Walker", password = "Walk-" + Guid.NewGuid().ToString("N"), globalRoleId = (Guid?)null });
        var userId = user.GetProperty("id").GetString();
        await CallAsync("POST", "/api/v1/users/{id:guid}/disable", $"/api/v1/users/{userId}/disable", null);
        await CallAsync("POST", "/api/v1/users/{id:guid}/enable", $"/api/v1/users/{userId}/enable", null);
        await CallAsync("POST", "/api/v1/users/{id:guid}/reset-password", $"/api/v1/users/{userId}/reset-password", new { newPassword = "Reset-" + Guid.NewGuid().ToString("N") });
        await CallAsync("PUT", "/api/v1/users/{id:guid}/global-role", $"/api/v1/users/{userId}/global-role", new { roleId = viewer });
        await CallAsync("PUT", "/api/v1/projects/{id:guid}/members/{userId:guid}", $"/api/v1/projects/{projectId}/members/{userId}", new { roleId });
        await CallAsync("DELETE", "/api/v1/projects/{id:guid}/members/{userId:guid}", $"/api/v1/projects/{projectId}/members/{userId}", null);
        await CallAsync("DELETE", "/api/v1/roles/{id:guid}", $"/api/v1/roles/{roleId}", null);
        await CallAsync("DELETE", "/api/v1/projects/{id:guid}", $"/api/v1/projects/{projectId}", null);

        var token = await CallAsync("POST", "/api/v1/tokens/", "/api/v1/tokens", new { name = "walk", expiresAt = DateTimeOffset.UtcNow.AddHours(1), permissions = (string[]?)null });
        await CallAsync("POST", "/api/v1/tokens/{id:guid}/revoke", $"/api/v1/tokens/{token.GetProperty("token").GetProperty("id").GetString()}/revoke", null);
        var enrollment = await CallAsync("POST", "/api/v1/enrollment-tokens/", "/api/v1/enrollment-tokens", new { description = "walk" });
        await CallAsync("POST", "/api/v1/enrollment-tokens/{id:guid}/revoke", $"/api/v1/enrollment-tokens/{enrollment.GetProperty("token").GetProperty("id").GetString()}/revoke", null);
        var imagePath = Path.Combine(_stack.UserImages, "walk.qcow2");
        await RunAsync("qemu-img", "create", "-q", "-f", "qcow2", imagePath, "64M");
        await CallAsync("POST", "/api/v1/images/", "/api/v1/images", new { name = "walk-image", path = imagePath });

        var vm = await CallAsync("POST", "/api/v1/vms/", "/api/v1/vms", new { name = "walk-vm", vCpus = 1, memoryMiB = 192, diskGiB = 1, start = false });
        var vmId = Guid.Parse(vm.GetProperty("id").GetString()!);
        await IdleAsync(vmId, VmState.Stopped);
        await VmActionAsync(vmId, "resize", VmState.Stopped, new { memoryMiB = 256 });
        await VmActionAsync(vmId, "start", VmState.Running);
        await Eventually.TrueAsync(async () => (await _stack.ConsoleAsync(vmId)).Contains("NOVACRON-GUEST BOOTED", StringComparison.Ordinal), GuestTimeout, "the guest's boot line");
        await VmActionAsync(vmId, "pause", VmState.Paused);
        await VmActionAsync(vmId, "resume", VmState.Running);
        await VmActionAsync(vmId, "reboot", VmState.Running);
        await Eventually.TrueAsync(async () => CountBoots(await _stack.ConsoleAsync(vmId)) >= 2, GuestTimeout, "the guest's second boot line");
        await VmActionAsync(vmId, "stop", VmState.Stopped);
        await VmActionAsync(vmId, "start", VmState.Running);
        await VmActionAsync(vmId, "force-stop", VmState.Stopped);
        await CallAsync("DELETE", "/api/v1/vms/{id:guid}", $"/api/v1/vms/{vmId}", null);
        await _stack.WaitForVmStateAsync(vmId, VmState.Deleted, GuestTimeout);
        await CallAsync("POST", "/api/v1/nodes/{name}/revoke-credential", $"/api/v1/nodes/{_stack.NodeName}/revoke-credential", null);

        var mutating = ApiEndpointCatalog.Endpoints(_stack.WebServices).Where(e => e.Method != "GET").Select(e => $"{e.Method} {e.Pattern}").ToHashSet();
        Assert.Empty(mutating.Except(_called));
        Assert.Empty(_called.Except(mutating));
    }

    private static int CountBoots(string console) => console.Split("NOVACRON-GUEST BOOTED").Length - 1;

    private async Task VmActionAsync(Guid vmId, string action, VmState settled, object? body = null)
    {
        await CallAsync("POST", $"/api/v1/vms/{{id:guid}}/{action}", $"/api/v1/vms/{vmId}/{action}", body);
        await IdleAsync(vmId, settled);
    }

    private Task IdleAsync(Guid vmId, VmState state) =>
        Eventually.GetAsync(() => _stack.GetVmAsync(vmId)!, v => v is not null && v.State == state && v.ActiveOperationId is null, GuestTimeout, $"VM {vmId} to settle in {state}");

    /// <summary>Calls one endpoint with valid input, asserts it succeeded and that a new succeeded audit record by the
    /// administrator appeared, and returns the answer's body.</summary>
    private async Task<JsonElement> CallAsync(string method, string pattern, string route, object? body)
    {
        var before = await SucceededByAdminAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), route);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: NovaCronStack.Json);
        }

        var response = await _stack.Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {route} answered {(int)response.StatusCode}: {text}");
        var after = await SucceededByAdminAsync();
        var action = ExpectedAction(method, pattern);
        Assert.True(
            after.Count(r => r.Action == action) > before.Count(r => r.Action == action),
            $"{method} {pattern} succeeded but left no succeeded '{action}' audit record by its caller");
        _called.Add($"{method} {pattern}");
        if (response.Headers.Location is { } location)
        {
            var created = await _stack.Api.GetAsync(location);
            Assert.True(created.IsSuccessStatusCode, $"{method} {pattern} answered Location {location}, which answers {(int)created.StatusCode}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The action an endpoint's records are filed under, from the one table refusals use too.</summary>
    private string ExpectedAction(string method, string pattern)
    {
        var endpoint = ApiEndpointCatalog.Endpoints(_stack.WebServices).Single(e => e.Method == method && e.Pattern == pattern).Endpoint;
        var name = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IEndpointNameMetadata>()?.EndpointName;
        Assert.True(name is not null && AuditActions.ByEndpoint.ContainsKey(name), $"{method} {pattern} has no entry in AuditActions");
        return AuditActions.ByEndpoint[name];
    }

    private Task<List<AuditRecord>> SucceededByAdminAsync() =>
        _stack.InDbAsync(db => db.AuditRecords.AsNoTracking().Where(r => r.Actor == NovaCronStack.AdminUserName && r.Result == AuditResult.Succeeded).ToListAsync());

    private static async Task RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true })!;
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
    }
}
