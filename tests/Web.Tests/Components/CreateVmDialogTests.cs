using AngleSharp.Dom;
using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using NovaCron.Domain.Common;
using NovaCron.Domain.Identity;
using NovaCron.Domain.Vms;
using NovaCron.Web.Components.Vms;
using NovaCron.Web.Features;
using NovaCron.Web.Features.Vms.CreateVm;
using NovaCron.Web.Realtime;
using NovaCron.Web.Tests.Admin;
using NovaCron.Web.Tests.Support;
using Xunit;

namespace NovaCron.Web.Tests.Components;

public sealed class CreateVmDialogTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submit_InvalidName_ShowsValidationMessageAndCreatesNothing()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync();
        var (host, _) = await OpenAsync(cluster);

        await host.ByTestId("vm-name-input").InputAsync(new() { Value = "Bad_Name" });
        await host.ByTestId("vm-create-submit").ClickAsync(new());

        var expected = ResourceName.Validate("Bad_Name", "VM").Error!.Message;
        host.WaitForAssertion(() => Assert.Contains(expected, host.ValidationMessages()));
        Assert.Equal(0, await CountVmsAsync(cluster));
    }

    [Theory]
    [InlineData("vm-vcpus-input", "0", "vm.vcpus")]
    [InlineData("vm-vcpus-input", "257", "vm.vcpus")]
    [InlineData("vm-memory-input", "32", "vm.memory")]
    [InlineData("vm-disk-input", "0", "vm.disk")]
    public async Task Submit_SizeOutOfRange_ShowsValidationMessageAndCreatesNothing(string field, string value, string code)
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync();
        var (host, _) = await OpenAsync(cluster);

        await host.ByTestId("vm-name-input").InputAsync(new() { Value = "web-1" });
        await host.ByTestId(field).InputAsync(new() { Value = value });
        await host.ByTestId("vm-create-submit").ClickAsync(new());

        host.WaitForAssertion(() =>
        {
            var message = Assert.Single(host.ValidationMessages());
            Assert.Equal(code, ErrorCodeOf(message));
        });
        Assert.Equal(0, await CountVmsAsync(cluster));
    }

    [Fact]
    public async Task Submit_ValidInput_CreatesVmAndClosesWithIt()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync();
        var (host, dialog) = await OpenAsync(cluster);

        await host.ByTestId("vm-name-input").InputAsync(new() { Value = "web-1" });
        await host.ByTestId("vm-vcpus-input").InputAsync(new() { Value = "2" });
        await host.ByTestId("vm-tags-input").InputAsync(new() { Value = "web, prod" });
        await host.ByTestId("vm-create-submit").ClickAsync(new());

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var created = Assert.IsType<VmView>(result!.Data);
        Assert.Equal(("web-1", 2, cluster.Image.Name, cluster.Node.Name), (created.Name, created.VCpus, created.ImageName, created.NodeName));
        Assert.Equal(["web", "prod"], created.Tags);
        await using var db = await cluster.Db.CreateDbContextAsync(Ct);
        Assert.True(await db.Vms.AnyAsync(v => v.Name == "web-1", Ct));
        host.WaitForAssertion(() => Assert.False(host.HasTestId("vm-name-input")));
    }

    [Fact]
    public async Task Submit_HandlerRefuses_ShowsErrorInsideOpenDialog()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync();
        var first = await cluster.Service<CreateVmHandler>().HandleAsync(new CreateVmRequest("web-1", 1, 256, 1, null, null), Actor.System, Ct);
        Assert.True(first.IsSuccess, first.Error?.Message);
        var (host, dialog) = await OpenAsync(cluster);

        await host.ByTestId("vm-name-input").InputAsync(new() { Value = "web-1" });
        await host.ByTestId("vm-create-submit").ClickAsync(new());

        host.WaitForAssertion(() => Assert.Equal("A VM named 'web-1' already exists in project 'default'.", host.ByTestId("vm-create-error").TextContent.Trim()));
        Assert.False(dialog.Result.IsCompleted);
        Assert.Equal(1, await CountVmsAsync(cluster));
    }

    [Fact]
    public async Task Open_OperatorOfOneProjectOnly_OffersOnlyThatProjectPreselectedAndCreatesThere()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync(globalRole: null);
        var projectA = await cluster.AddProjectAsync("proj-a", Role.Operator);
        await cluster.AddProjectAsync("proj-b");
        await cluster.AddProjectAsync("proj-c", Role.Viewer);
        var (host, dialog) = await OpenAsync(cluster);

        Assert.Equal("proj-a", host.ByTestId("vm-project-select").GetAttribute("value"));
        Assert.Equal(["proj-a"], await ProjectOptionsAsync(host));
        await host.ByTestId("vm-name-input").InputAsync(new() { Value = "web-1" });
        await host.ByTestId("vm-create-submit").ClickAsync(new());

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var created = Assert.IsType<VmView>(result!.Data);
        Assert.Equal((projectA.Value, "proj-a"), (created.ProjectId, created.ProjectName));
        await using var db = await cluster.Db.CreateDbContextAsync(Ct);
        Assert.True(await db.Vms.AnyAsync(v => v.Name == "web-1" && v.ProjectId == projectA, Ct));
    }

    [Fact]
    public async Task Submit_OperatorOfTwoProjectsChoosesNone_AsksForAProjectAndCreatesNothing()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync(globalRole: null);
        await cluster.AddProjectAsync("proj-a", Role.Operator);
        await cluster.AddProjectAsync("proj-b", Role.Operator);
        var (host, _) = await OpenAsync(cluster);
        Assert.Equal(["proj-a", "proj-b"], await ProjectOptionsAsync(host));

        await host.ByTestId("vm-name-input").InputAsync(new() { Value = "web-1" });
        await host.ByTestId("vm-create-submit").ClickAsync(new());

        host.WaitForAssertion(() => Assert.Contains("Choose the project to create the VM in.", host.ValidationMessages()));
        Assert.Equal(string.Empty, host.ByTestId("vm-project-select").GetAttribute("value") ?? string.Empty);
        Assert.Equal(0, await CountVmsAsync(cluster));
    }

    [Fact]
    public async Task Open_Administrator_OffersEveryProjectWithTheDefaultPreselected()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync();
        await cluster.AddProjectAsync("alpha");
        await cluster.AddProjectAsync("zulu");
        var (host, _) = await OpenAsync(cluster);

        Assert.Equal("default", host.ByTestId("vm-project-select").GetAttribute("value"));
        Assert.Equal(["alpha", "default", "zulu"], await ProjectOptionsAsync(host));
    }

    [Fact]
    public async Task Submit_AnotherProjectChosen_CreatesTheVmInThatProject()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync();
        var zulu = await cluster.AddProjectAsync("zulu");
        var (host, dialog) = await OpenAsync(cluster);

        await ProjectOptionsAsync(host);
        await host.FindAll(".mud-popover-open [role='option']").Single(option => option.TextContent.Trim() == "zulu").ClickAsync(new());
        host.WaitForAssertion(() => Assert.Equal("zulu", host.ByTestId("vm-project-select").GetAttribute("value")));
        await host.ByTestId("vm-name-input").InputAsync(new() { Value = "web-1" });
        await host.ByTestId("vm-create-submit").ClickAsync(new());

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal("zulu", Assert.IsType<VmView>(result!.Data).ProjectName);
        await using var db = await cluster.Db.CreateDbContextAsync(Ct);
        Assert.True(await db.Vms.AnyAsync(v => v.Name == "web-1" && v.ProjectId == zulu, Ct));
    }

    private static async Task<(IRenderedComponent<MudHost> Host, IDialogReference Dialog)> OpenAsync(TestCluster cluster)
    {
        var host = cluster.Context.Render<MudHost>();
        var dialogs = cluster.Service<IDialogService>();
        var dialog = await host.InvokeAsync(() => dialogs.ShowAsync<CreateVmDialog>("Create VM"));
        host.WaitForAssertion(() => Assert.Equal("test-guest", host.ByTestId("vm-image-select").GetAttribute("value")));
        return (host, dialog);
    }

    /// <summary>Opens the project select and reads the projects it offers; the list stays open.</summary>
    private static async Task<IReadOnlyList<string>> ProjectOptionsAsync(IRenderedComponent<MudHost> host)
    {
        await host.ByTestId("vm-project-select").Closest(".mud-input-control")!.MouseDownAsync(new());
        return [.. host.FindAll(".mud-popover-open [role='option']").Select(option => option.TextContent.Trim())];
    }

    private static async Task<int> CountVmsAsync(TestCluster cluster)
    {
        await using var db = await cluster.Db.CreateDbContextAsync(Ct);
        return await db.Vms.CountAsync(Ct);
    }

    /// <summary>Maps a shown message back to the domain rule that produced it, so the test does not pin the wording.</summary>
    private static string? ErrorCodeOf(string message)
    {
        foreach (var (vcpus, memory, disk) in new[] { (0, 256L, 1L), (257, 256L, 1L), (1, 32L, 1L), (1, 256L, 0L) })
        {
            var error = VmSpec.Validate(vcpus, memory, disk, null).Error!;
            if (error.Message == message)
            {
                return error.Code;
            }
        }

        return null;
    }
}
