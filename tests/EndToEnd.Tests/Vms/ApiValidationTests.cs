using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NovaCron.Testing;

namespace NovaCron.EndToEnd.Tests.Vms;

/// <summary>Bad input gets a ProblemDetails answer with a stable type and a sentence, and nothing is created.</summary>
public sealed class ApiValidationTests : IAsyncLifetime
{
    private NovaCronStack _stack = null!;

    public async ValueTask InitializeAsync() => _stack = await NovaCronStack.StartAsync();

    public async ValueTask DisposeAsync() => await _stack.DisposeAsync();

    [Theory]
    [InlineData("Bad_Name", 1, 256, 1, null, HttpStatusCode.BadRequest, "name.invalid")]
    [InlineData("", 1, 256, 1, null, HttpStatusCode.BadRequest, "name.required")]
    [InlineData("ok-name", 0, 256, 1, null, HttpStatusCode.BadRequest, "vm.vcpus")]
    [InlineData("ok-name", 1, 10, 1, null, HttpStatusCode.BadRequest, "vm.memory")]
    [InlineData("ok-name", 1, 256, 0, null, HttpStatusCode.BadRequest, "vm.disk")]
    [InlineData("ok-name", 1, 256, 1, "no-such-image", HttpStatusCode.BadRequest, "image.unknown")]
    [InlineData("ok-name", 1, 4194304, 1, null, HttpStatusCode.BadRequest, "placement.too-large")]
    [InlineData("ok-name", 1, 256, 60000, null, HttpStatusCode.BadRequest, "placement.too-large")]
    public async Task CreateVm_BadInput_ProblemDetailsAndNothingCreated(string name, int vcpus, long memory, long disk, string? image, HttpStatusCode status, string code)
    {
        var response = await _stack.Api.PostAsJsonAsync("/api/v1/vms", new { name, vCpus = vcpus, memoryMiB = memory, diskGiB = disk, image }, NovaCronStack.Json);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith(code, problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        var vms = await _stack.GetAsync<NovaCronStack.PageOf<Web.Realtime.VmView>>("/api/v1/vms");
        Assert.Empty(vms!.Items);
    }

    [Theory]
    [InlineData("{\"name\":\"x\",", "request.malformed", null)]
    [InlineData("{\"name\":\"x\",\"vCpus\":\"two\",\"memoryMiB\":128,\"diskGiB\":1}", "request.malformed", "$.vCpus")]
    [InlineData("[]", "request.malformed", "must be an object")]
    [InlineData("\"a string\"", "request.malformed", "must be an object")]
    [InlineData("{\"name\":\"x\",\"vCpus\":\"2\",\"memoryMiB\":128,\"diskGiB\":1}", "request.malformed", "$.vCpus")]
    [InlineData("{\"name\":\"x\",\"vCpus\":1,\"memoryMiB\":128,\"diskGiB\":1,\"tags\":\"web\"}", "request.malformed", "$.tags")]
    public async Task CreateVm_MalformedBody_ProblemDetailsSayWhatIsWrong(string body, string code, string? mentions)
    {
        var response = await _stack.Api.PostAsync("/api/v1/vms", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith(code, problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        var detail = problem.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        Assert.DoesNotContain("NovaCron.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
        if (mentions is not null)
        {
            Assert.Contains(mentions, detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ListVms_UnknownState_ProblemDetailsWithDetail()
    {
        var response = await _stack.Api.GetAsync("/api/v1/vms?state=Bogus");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.Equal("'Bogus' is not a valid value for 'state'; use one of: " + string.Join(", ", Enum.GetNames<NovaCron.Domain.Vms.VmState>()) + ".", detail);
    }

    [Fact]
    public async Task CreateVm_NoBody_ProblemSaysABodyIsNeededAndIsAudited()
    {
        var response = await _stack.Api.PostAsync("/api/v1/vms", new StringContent(string.Empty, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString();
        Assert.DoesNotContain("NovaCron.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Implicit", detail, StringComparison.Ordinal);
        Assert.True(await _stack.InDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(
            db.AuditRecords, r => r.Action == "vm.create" && r.Result == NovaCron.Domain.Audit.AuditResult.Failed)));
    }

    [Theory]
    [InlineData("GET", "/api/v1/vms/not-a-guid")]
    [InlineData("POST", "/api/v1/vms/not-a-guid/start")]
    [InlineData("DELETE", "/api/v1/vms/not-a-guid")]
    [InlineData("GET", "/api/v1/operations/xyz")]
    public async Task Request_IdThatIsNotAGuid_ProblemDetails(string method, string path)
    {
        var response = await _stack.Api.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task CreateVm_DuplicateName_Conflict()
    {
        var first = await _stack.Api.PostAsJsonAsync("/api/v1/vms", new { name = "twin", vCpus = 1, memoryMiB = 128, diskGiB = 1, start = false }, NovaCronStack.Json);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        var second = await _stack.Api.PostAsJsonAsync("/api/v1/vms", new { name = "twin", vCpus = 1, memoryMiB = 128, diskGiB = 1, start = false }, NovaCronStack.Json);

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Fact]
    public async Task GetVm_UnknownId_NotFoundProblem()
    {
        var response = await _stack.Api.GetAsync($"/api/v1/vms/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task StartOrDeleteVm_NodeOffline_Answers503AndQueuesNothing()
    {
        var created = await _stack.Api.PostAsJsonAsync("/api/v1/vms", new { name = "stranded", vCpus = 1, memoryMiB = 128, diskGiB = 1, start = false }, NovaCronStack.Json);
        var vm = (await created.Content.ReadFromJsonAsync<NovaCron.Web.Realtime.VmView>(NovaCronStack.Json))!;
        await Eventually.GetAsync(() => _stack.GetVmAsync(vm.Id)!, v => v is { State: NovaCron.Domain.Vms.VmState.Stopped, ActiveOperationId: null }, TimeSpan.FromSeconds(30), "the VM to be provisioned");
        await _stack.StopAgentAsync();
        await Eventually.TrueAsync(
            async () => (await _stack.GetAsync<List<NovaCron.Web.Realtime.NodeView>>("/api/v1/nodes"))!.Single().Status == NovaCron.Domain.Nodes.NodeStatus.Offline,
            TimeSpan.FromSeconds(60),
            "the node to go offline");

        var start = await _stack.Api.PostAsync($"/api/v1/vms/{vm.Id}/start", null);
        var delete = await _stack.Api.DeleteAsync($"/api/v1/vms/{vm.Id}");

        foreach (var response in new[] { start, delete })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.EndsWith("node.offline", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString(), StringComparison.Ordinal);
        }

        var after = await _stack.GetVmAsync(vm.Id);
        Assert.Equal((NovaCron.Domain.Vms.VmState.Stopped, (Guid?)null), (after.State, after.ActiveOperationId));
    }

    [Fact]
    public async Task StartVm_Deleted_ConflictWhileItStaysReadable()
    {
        var created = await _stack.Api.PostAsJsonAsync("/api/v1/vms", new { name = "gone", vCpus = 1, memoryMiB = 128, diskGiB = 1, start = false }, NovaCronStack.Json);
        var vm = (await created.Content.ReadFromJsonAsync<NovaCron.Web.Realtime.VmView>(NovaCronStack.Json))!;
        await Eventually.GetAsync(() => _stack.GetVmAsync(vm.Id)!, v => v is { State: NovaCron.Domain.Vms.VmState.Stopped, ActiveOperationId: null }, TimeSpan.FromSeconds(30), "the VM to be provisioned");
        Assert.Equal(HttpStatusCode.Accepted, (await _stack.Api.DeleteAsync($"/api/v1/vms/{vm.Id}")).StatusCode);
        await _stack.WaitForVmStateAsync(vm.Id, NovaCron.Domain.Vms.VmState.Deleted, TimeSpan.FromSeconds(30));

        var start = await _stack.Api.PostAsync($"/api/v1/vms/{vm.Id}/start", null);

        Assert.Equal(HttpStatusCode.Conflict, start.StatusCode);
        Assert.EndsWith("vm.deleted", (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _stack.Api.GetAsync($"/api/v1/vms/{vm.Id}")).StatusCode);
    }

    [Fact]
    public async Task StartVm_UnknownId_NotFound()
    {
        var response = await _stack.Api.PostAsync($"/api/v1/vms/{Guid.NewGuid()}/start", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=100000")]
    [InlineData("?offset=-1")]
    public async Task ListVms_BadPaging_BadRequest(string query)
    {
        var response = await _stack.Api.GetAsync("/api/v1/vms" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheVmEndpoints()
    {
        var document = await _stack.Api.GetStringAsync("/openapi/v1.json");

        Assert.Contains("/api/v1/vms/{id}/force-stop", document, StringComparison.Ordinal);
        Assert.Contains("/api/v1/operations", document, StringComparison.Ordinal);
    }
}
