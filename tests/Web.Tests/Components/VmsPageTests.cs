using Bunit;
using NovaCron.Domain.Vms;
using NovaCron.Web.Components.Pages;
using NovaCron.Web.Features;
using NovaCron.Web.Features.Vms.CreateVm;
using NovaCron.Web.Tests.Admin;
using NovaCron.Web.Tests.Support;
using Xunit;

namespace NovaCron.Web.Tests.Components;

public sealed class VmsPageTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Render_VmInDatabase_ShowsItFromTheQuery()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync();
        var created = await cluster.Service<CreateVmHandler>().HandleAsync(new CreateVmRequest("web-1", 1, 256, 1, null, ["web"]), Actor.System, Ct);
        Assert.True(created.IsSuccess, created.Error?.Message);

        var page = RenderPage(cluster);

        page.WaitForAssertion(() => Assert.Equal(created.Value!.State.ToString(), page.ByTestId("vm-state-web-1").TextContent.Trim()));
    }

    [Fact]
    public async Task Render_SameNameInTwoProjects_ProjectColumnTellsThemApart()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync();
        await cluster.AddProjectAsync("proj-a");
        foreach (var project in new[] { "default", "proj-a" })
        {
            var created = await cluster.Service<CreateVmHandler>().HandleAsync(new CreateVmRequest("web-1", 1, 256, 1, Project: project), Actor.System, Ct);
            Assert.True(created.IsSuccess, created.Error?.Message);
        }

        var page = RenderPage(cluster);

        page.WaitForAssertion(() => Assert.Equal(
            ["default", "proj-a"],
            page.FindAll("[data-testid='vm-project-web-1']").Select(cell => cell.TextContent.Trim())));
    }

    [Fact]
    public async Task VmChanged_NewVmPublished_AppearsWithoutReload()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync();
        var page = RenderPage(cluster);
        page.WaitForAssertion(() => Assert.Contains("No VMs yet.", page.Markup, StringComparison.Ordinal));

        cluster.Feed.Publish(Builders.Changed(Builders.Vm("db-1", VmState.Running)));

        page.WaitForAssertion(() => Assert.Equal("Running", page.ByTestId("vm-state-db-1").TextContent.Trim()));
    }

    [Fact]
    public async Task VmChanged_StateChanged_UpdatesTheChip()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync();
        var vm = Builders.Vm("db-1", VmState.Running);
        var page = RenderPage(cluster);
        cluster.Feed.Publish(Builders.Changed(vm));
        page.WaitForAssertion(() => Assert.Equal("Running", page.ByTestId("vm-state-db-1").TextContent.Trim()));

        cluster.Feed.Publish(Builders.Changed(vm with { State = VmState.Stopping }));

        page.WaitForAssertion(() => Assert.Equal("Stopping", page.ByTestId("vm-state-db-1").TextContent.Trim()));
    }

    [Fact]
    public async Task VmChanged_Deleted_RemovesTheRow()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync();
        var vm = Builders.Vm("db-1", VmState.Deleting);
        var page = RenderPage(cluster);
        cluster.Feed.Publish(Builders.Changed(vm));
        page.WaitForAssertion(() => Assert.True(page.HasTestId("vm-state-db-1")));

        cluster.Feed.Publish(Builders.Changed(vm with { State = VmState.Deleted }));

        page.WaitForAssertion(() => Assert.False(page.HasTestId("vm-state-db-1")));
    }

    [Fact]
    public async Task AccessChanged_RoleTakenAwayWhileOpen_VmsDisappearAndLaterChangesAreNotShown()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync(Domain.Identity.Role.Viewer);
        var created = await cluster.Service<CreateVmHandler>().HandleAsync(new CreateVmRequest("seen-1", 1, 256, 1, null, []), Actor.System, Ct);
        Assert.True(created.IsSuccess, created.Error?.Message);
        var page = RenderPage(cluster);
        page.WaitForAssertion(() => Assert.True(page.HasTestId("vm-state-seen-1")));

        await using (var db = await cluster.Db.CreateDbContextAsync(Ct))
        {
            var alice = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users, u => u.Id == Admin.AdminTestCluster.AliceId, Ct);
            alice.GlobalRoleId = null;
            await db.SaveChangesAsync(Ct);
        }

        page.WaitForAssertion(() => Assert.False(page.HasTestId("vm-state-seen-1")));
        cluster.Feed.Publish(Builders.Changed(Builders.Vm("later-1", VmState.Running)));
        cluster.Feed.Publish(Builders.Changed(created.Value! with { State = VmState.Running }));
        page.WaitForAssertion(() => Assert.Contains("No VMs yet.", page.Markup, StringComparison.Ordinal));
        Assert.False(page.HasTestId("vm-state-later-1"));
    }

    [Fact]
    public async Task MembershipRemovedByHandler_WhileOpen_VmsDisappearAndAStaleClickIsRefused()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync(globalRole: null);
        var alpha = await cluster.AddProjectAsync("alpha", Domain.Identity.Role.Operator);
        var created = await cluster.Service<CreateVmHandler>().HandleAsync(new CreateVmRequest("a-1", 1, 256, 1, null, [], Project: "alpha"), Actor.System, Ct);
        Assert.True(created.IsSuccess, created.Error?.Message);
        var page = RenderPage(cluster);
        page.WaitForAssertion(() => Assert.True(page.HasTestId("vm-state-a-1")));
        // Any click from here on is checked against the access Alice holds when she clicks.
        var circuit = cluster.Service<NovaCron.Web.Security.CircuitActor>();
        Assert.True((await circuit.GetAsync(Ct)).Access.Can(Domain.Identity.Permissions.VmPower, alpha));

        var removed = await cluster.Service<Features.Admin.Users.SetMembershipHandler>().HandleAsync(
            new Features.Admin.Users.SetMembershipRequest(Admin.AdminTestCluster.AliceId, alpha.Value, null), Admin.AdminTestCluster.Administrator, Ct);

        Assert.True(removed.IsSuccess, removed.Error?.Message);
        Assert.False((await circuit.GetAsync(Ct)).Access.Can(Domain.Identity.Permissions.VmRead, alpha));
        page.WaitForAssertion(() => Assert.False(page.HasTestId("vm-state-a-1")));
    }

    [Theory]
    [InlineData(VmState.Running, "stop,force-stop,reboot,pause,delete", "start,resume")]
    [InlineData(VmState.Stopped, "start,delete", "stop,force-stop,reboot,pause,resume")]
    [InlineData(VmState.Paused, "stop,force-stop,resume,delete", "start,reboot,pause")]
    [InlineData(VmState.Provisioning, "", "start,stop,force-stop,reboot,pause,resume,delete")]
    public async Task ActionButtons_State_EnabledOnlyWhenAllowed(VmState state, string enabled, string disabled)
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync();
        var page = RenderPage(cluster);

        cluster.Feed.Publish(Builders.Changed(Builders.Vm("vm-1", state)));

        page.WaitForAssertion(() =>
        {
            foreach (var action in enabled.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.False(page.ByTestId($"vm-action-{action}-vm-1").HasAttribute("disabled"), $"{action} should be enabled when {state}");
            }

            foreach (var action in disabled.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.True(page.ByTestId($"vm-action-{action}-vm-1").HasAttribute("disabled"), $"{action} should be disabled when {state}");
            }
        });
    }

    [Fact]
    public async Task ActionButton_HandlerReturnsError_ShowsItsMessageInSnackbar()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync();
        var page = RenderPage(cluster);
        // Known to the page through the feed but not to the database, so the handler answers "not found".
        var vm = Builders.Vm("ghost", VmState.Stopped);
        cluster.Feed.Publish(Builders.Changed(vm));
        page.WaitForAssertion(() => Assert.True(page.HasTestId("vm-action-start-ghost")));

        await page.ByTestId("vm-action-start-ghost").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains($"No VM with id {vm.Id}.", page.Find(".mud-snackbar").TextContent, StringComparison.Ordinal));
    }

    private static IRenderedComponent<MudHost> RenderPage(TestCluster cluster) =>
        cluster.Context.Render<MudHost>(host => host.AddChildContent<VmsPage>());
}
