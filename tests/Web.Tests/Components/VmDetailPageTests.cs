using Bunit;
using NovaCron.Web.Components.Pages;
using NovaCron.Web.Features;
using NovaCron.Web.Features.Vms.CreateVm;
using NovaCron.Web.Tests.Admin;
using NovaCron.Web.Tests.Support;
using Xunit;

namespace NovaCron.Web.Tests.Components;

public sealed class VmDetailPageTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Render_VmOfAProject_ShowsTheProjectName()
    {
        await using var cluster = await AdminTestCluster.StartAsync();
        await cluster.AddProjectAsync("proj-a");
        var created = await cluster.Service<CreateVmHandler>().HandleAsync(new CreateVmRequest("web-1", 1, 256, 1, Project: "proj-a"), Actor.System, Ct);
        Assert.True(created.IsSuccess, created.Error?.Message);

        var page = cluster.Context.Render<MudHost>(host => host.AddChildContent<VmDetailPage>(detail => detail.Add(p => p.Id, created.Value!.Id)));

        page.WaitForAssertion(() => Assert.Equal("proj-a", page.ByTestId("vm-project").TextContent.Trim()));
    }
}
