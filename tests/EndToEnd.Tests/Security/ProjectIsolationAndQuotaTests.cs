using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NovaCron.Domain.Audit;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Projects;
using NovaCron.Domain.Vms;
using NovaCron.Infrastructure.Persistence;
using NovaCron.Testing;
using NovaCron.Web.Realtime;

namespace NovaCron.EndToEnd.Tests.Security;

/// <summary>Tenancy and quotas through the real API, with the real agent (VMs are created with start=false so no guest
/// has to boot): a member of project B never sees or touches project A; parallel creates never exceed a quota; every
/// mutating call leaves an audit record.</summary>
public sealed class ProjectIsolationAndQuotaTests : IAsyncLifetime
{
    private NovaCronStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await NovaCronStack.StartAsync();

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task MemberOfAnotherProject_CannotSeeListOrTouchTheVm()
    {
        var (projectA, projectB) = (await CreateProjectAsync("alpha", Quota.Unlimited), await CreateProjectAsync("beta", Quota.Unlimited));
        var vm = await CreateVmAsync(_stack.Api, "alpha-vm", "alpha");
        var operatorRole = Role.BuiltIn.Single(r => r.Name == Role.Operator).Id;
        var outsider = await _stack.ClientForNewUserAsync("beta-operator", null, [(projectB, operatorRole)]);
        var insider = await _stack.ClientForNewUserAsync("alpha-operator", null, [(projectA, operatorRole)]);

        var list = await outsider.GetFromJsonAsync<NovaCronStack.PageOf<VmView>>("/api/v1/vms", NovaCronStack.Json);
        Assert.DoesNotContain(list!.Items, v => v.Id == vm.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/v1/vms/{vm.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostAsync($"/api/v1/vms/{vm.Id}/start", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.DeleteAsync($"/api/v1/vms/{vm.Id}")).StatusCode);
        var operations = await outsider.GetFromJsonAsync<NovaCronStack.PageOf<OperationView>>("/api/v1/operations", NovaCronStack.Json);
        Assert.DoesNotContain(operations!.Items, o => o.VmId == vm.Id);
        var intoA = await outsider.PostAsJsonAsync("/api/v1/vms", new { name = "sneaky", vCpus = 1, memoryMiB = 128, diskGiB = 1, start = false, project = "alpha" }, NovaCronStack.Json);
        Assert.Equal(HttpStatusCode.BadRequest, intoA.StatusCode);

        var seen = await insider.GetFromJsonAsync<NovaCronStack.PageOf<VmView>>("/api/v1/vms", NovaCronStack.Json);
        Assert.Contains(seen!.Items, v => v.Id == vm.Id);
        Assert.Equal(VmState.Stopped, (await _stack.GetVmAsync(vm.Id)).State);
    }

    /// <summary>The matrix's "member of another project" row: every endpoint that names something of project A, taken
    /// from the application's endpoint list, called by a user who holds every project permission in project B.</summary>
    [Fact]
    public async Task EveryEndpointNamingProjectA_AsFullMemberOfProjectB_DeniedOrNotFoundAndNothingChanges()
    {
        var (projectA, projectB) = (await CreateProjectAsync("gamma", Quota.Unlimited), await CreateProjectAsync("delta", Quota.Unlimited));
        var vm = await CreateVmAsync(_stack.Api, "gamma-vm", "gamma");
        var operation = (await _stack.GetAsync<NovaCronStack.PageOf<OperationView>>($"/api/v1/operations?vmId={vm.Id}"))!.Items[0];
        var operatorRole = Role.BuiltIn.Single(r => r.Name == Role.Operator).Id;
        var insiderId = await _stack.CreateUserAsync("gamma-operator", "Pw-" + Guid.NewGuid().ToString("N"), null, [(projectA, operatorRole)]);
        var projectAdministrator = Role.BuiltIn.Single(r => r.Name == Role.Administrator).Id;
        var outsider = await _stack.ClientForNewUserAsync("delta-admin", null, [(projectB, projectAdministrator)]);
        var adminId = await _stack.AdminIdAsync();
        var adminToken = await _stack.InDbAsync(db => db.ApiTokens.AsNoTracking().Where(t => t.UserId == adminId).Select(t => t.Id).FirstAsync());
        var targets = new Dictionary<string, Func<string, string>>
        {
            ["/api/v1/vms/{"] = _ => vm.Id.ToString(),
            ["/api/v1/operations/{"] = _ => operation.Id.ToString(),
            ["/api/v1/projects/{"] = name => name == "userId" ? insiderId.ToString() : projectA.ToString(),
            ["/api/v1/tokens/{"] = _ => adminToken.ToString(),
        };
        var bodies = new Dictionary<string, string>
        {
            ["/api/v1/vms/{id:guid}/resize"] = """{"memoryMiB":256}""",
            ["/api/v1/projects/{id:guid}/members/{userId:guid}"] = $$"""{"roleId":"{{projectAdministrator}}"}""",
        };

        var tried = new List<string>();
        var failures = new List<string>();
        foreach (var (method, pattern, _) in ApiEndpointCatalog.Endpoints(_stack.WebServices))
        {
            if (targets.FirstOrDefault(t => pattern.StartsWith(t.Key, StringComparison.Ordinal)).Value is not { } fill)
            {
                continue;
            }

            var response = await ApiEndpointCatalog.SendAsync(outsider, method, ApiEndpointCatalog.Fill(pattern, fill), bodies.GetValueOrDefault(pattern, "{}"));
            tried.Add($"{method} {pattern}");
            if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.Forbidden))
            {
                failures.Add($"{method} {pattern} answered {(int)response.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, "A member of project B reached project A: " + string.Join(", ", failures));
        Assert.Contains("POST /api/v1/vms/{id:guid}/force-stop", tried);
        Assert.Contains("PUT /api/v1/projects/{id:guid}/members/{userId:guid}", tried);
        var after = await _stack.GetVmAsync(vm.Id);
        Assert.Equal((VmState.Stopped, 128, (Guid?)null), (after.State, after.MemoryMiB, after.ActiveOperationId));
        Assert.Equal(HttpStatusCode.OK, (await _stack.Api.GetAsync("/api/v1/nodes")).StatusCode);
        Assert.Equal(operatorRole, await _stack.InDbAsync(db => db.Memberships.Where(m => m.UserId == insiderId).Select(m => m.RoleId).SingleAsync()));
        Assert.DoesNotContain(await AuditAsync(), r => r.Actor == "delta-admin" && r.Result == AuditResult.Succeeded);
    }

    [Fact]
    public async Task CreateVm_NoProjectNamedByOperatorOfOneProject_LandsInThatProject()
    {
        var solo = await CreateProjectAsync("solo", Quota.Unlimited);
        var operatorRole = Role.BuiltIn.Single(r => r.Name == Role.Operator).Id;
        var member = await _stack.ClientForNewUserAsync("solo-operator", null, [(solo, operatorRole)]);

        var vm = await CreateVmAsync(member, "solo-vm", null);

        Assert.Equal((solo.Value, "solo"), (vm.ProjectId, vm.ProjectName));
    }

    [Fact]
    public async Task CreateVm_NoProjectNamedByOperatorOfTwoProjects_400ListingTheProjectsItMayCreateIn()
    {
        var (east, west, north) = (await CreateProjectAsync("east", Quota.Unlimited), await CreateProjectAsync("west", Quota.Unlimited), await CreateProjectAsync("north", Quota.Unlimited));
        var operatorRole = Role.BuiltIn.Single(r => r.Name == Role.Operator).Id;
        var viewerRole = Role.BuiltIn.Single(r => r.Name == Role.Viewer).Id;
        var member = await _stack.ClientForNewUserAsync("two-operator", null, [(east, operatorRole), (west, operatorRole), (north, viewerRole)]);

        var response = await member.PostAsJsonAsync("/api/v1/vms", new { name = "where-vm", vCpus = 1, memoryMiB = 128, diskGiB = 1, start = false }, NovaCronStack.Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("https://novacron.dev/problems/project.required", problem.GetProperty("type").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("'east', 'west'", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("north", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("default", detail, StringComparison.Ordinal);
        Assert.Equal(0, await _stack.InDbAsync(db => db.Vms.CountAsync(v => v.Name == "where-vm")));
    }

    [Fact]
    public async Task ParallelCreates_NeverExceedTheQuota_AndTheRefusalNamesTheLimit()
    {
        await CreateProjectAsync("quota", new Quota(MaxVms: 3, MaxVCpus: null, MaxMemoryMiB: null, MaxDiskGiB: null));

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            _stack.Api.PostAsJsonAsync("/api/v1/vms", new { name = $"q-{i}", vCpus = 1, memoryMiB = 128, diskGiB = 1, start = false, project = "quota" }, NovaCronStack.Json)));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.Created).ToList();
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var detail = (await refused[0].Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("VMs quota by 1", detail, StringComparison.Ordinal);
        var inProject = await _stack.GetAsync<NovaCronStack.PageOf<VmView>>("/api/v1/vms?limit=500");
        Assert.Equal(3, inProject!.Items.Count(v => v.ProjectName == "quota"));
    }

    [Fact]
    public async Task ParallelResizes_NeverExceedTheMemoryQuota_AndTheRefusalNamesTheExcess()
    {
        await CreateProjectAsync("growth", new Quota(MaxVms: null, MaxVCpus: null, MaxMemoryMiB: 768, MaxDiskGiB: null));
        var vms = new List<VmView>();
        for (var i = 0; i < 4; i++)
        {
            vms.Add(await CreateVmAsync(_stack.Api, $"grow-{i}", "growth"));
        }

        // 4 × 128 MiB use 512 of 768: room for two of the four +128 MiB resizes.
        var responses = await Task.WhenAll(vms.Select(vm => _stack.Api.PostAsJsonAsync($"/api/v1/vms/{vm.Id}/resize", new { memoryMiB = 256 }, NovaCronStack.Json)));

        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.Accepted).ToList();
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var detail = (await refused[0].Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Contains("memory quota by 128 MiB", detail, StringComparison.Ordinal);
        var after = await Eventually.GetAsync(
            async () => await Task.WhenAll(vms.Select(vm => _stack.GetVmAsync(vm.Id))),
            all => all is not null && all.All(v => v.ActiveOperationId is null),
            TimeSpan.FromSeconds(30),
            "the resizes to finish");
        Assert.Equal(768, after.Sum(v => v.MemoryMiB));
        Assert.Equal(2, after.Count(v => v.MemoryMiB == 256));
        Assert.Contains(await AuditAsync(), r => r is { Action: "vm.resize", Result: AuditResult.Failed } && r.Detail != null && r.Detail.Contains("memory quota", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MutatingCalls_EachLeaveAnAuditRecordWithActorSourceAndResult()
    {
        var vm = await CreateVmAsync(_stack.Api, "audited", null);
        var refused = await _stack.Api.PostAsync($"/api/v1/vms/{vm.Id}/pause", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var bad = await _stack.Api.PostAsJsonAsync("/api/v1/vms", new { name = "Bad_Name", vCpus = 1, memoryMiB = 128, diskGiB = 1 }, NovaCronStack.Json);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await _stack.Api.DeleteAsync($"/api/v1/vms/{vm.Id}")).StatusCode);
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Deleted, TimeSpan.FromSeconds(30));

        var records = await AuditAsync();
        Assert.Contains(records, r => r is { Action: "vm.create", Result: AuditResult.Succeeded, Actor: NovaCronStack.AdminUserName } && r.TargetId == vm.Id.ToString() && r.Source.StartsWith("api ", StringComparison.Ordinal));
        Assert.Contains(records, r => r is { Action: "vm.pause", Result: AuditResult.Failed } && r.TargetId == vm.Id.ToString());
        Assert.Contains(records, r => r is { Action: "vm.create", Result: AuditResult.Failed, TargetName: "Bad_Name" });
        Assert.Contains(records, r => r is { Action: "vm.delete", Result: AuditResult.Succeeded } && r.TargetId == vm.Id.ToString());
        Assert.Contains(records, r => r.Action == "vm.delete.result" && r.Actor.StartsWith("node:", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Action == "node.register");
    }

    private Task<List<AuditRecord>> AuditAsync() => _stack.InDbAsync(db => db.AuditRecords.AsNoTracking().ToListAsync());


    private async Task<ProjectId> CreateProjectAsync(string name, Quota quota)
    {
        var factory = _stack.WebServices.GetRequiredService<IDbContextFactory<NovaCronDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var project = Project.Create(name, name, quota, DateTimeOffset.UtcNow).Value!;
        db.Projects.Add(project);
        await db.SaveChangesAsync();
        return project.Id;
    }

    private async Task<VmView> CreateVmAsync(HttpClient client, string name, string? project)
    {
        var response = await client.PostAsJsonAsync("/api/v1/vms", new { name, vCpus = 1, memoryMiB = 128, diskGiB = 1, start = false, project }, NovaCronStack.Json);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var vm = (await response.Content.ReadFromJsonAsync<VmView>(NovaCronStack.Json))!;
        await _stack.WaitForVmStateAsync(vm.Id, VmState.Stopped, TimeSpan.FromSeconds(30));
        return vm;
    }
}
