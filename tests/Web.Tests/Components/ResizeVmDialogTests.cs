using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using NovaCron.Domain.Common;
using NovaCron.Domain.Projects;
using NovaCron.Domain.Vms;
using NovaCron.Web.Components.Vms;
using NovaCron.Web.Features;
using NovaCron.Web.Features.Vms;
using NovaCron.Web.Features.Vms.CreateVm;
using NovaCron.Web.Realtime;
using NovaCron.Web.Tests.Support;
using Xunit;

namespace NovaCron.Web.Tests.Components;

public sealed class ResizeVmDialogTests
{
    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    [Fact]
    public async Task Submit_SmallerDisk_ShowsValidationMessageAndChangesNothing()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync();
        var vm = await StoppedVmAsync(cluster, diskGiB: 2);
        var (host, dialog) = await OpenAsync(cluster, vm);

        await host.ByTestId("vm-resize-disk").InputAsync(new() { Value = "1" });
        await host.ByTestId("vm-resize-submit").ClickAsync(new());

        host.WaitForAssertion(() => Assert.Contains("The disk can only grow; it is 2 GiB.", host.ValidationMessages()));
        Assert.False(dialog.Result.IsCompleted);
        Assert.Equal(new VmSize(1, 256, 2), await SizeAsync(cluster, vm.Id));
    }

    [Fact]
    public async Task Submit_OverQuota_ShowsRefusalInsideOpenDialog()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync();
        var vm = await StoppedVmAsync(cluster, diskGiB: 1);
        await using (var db = await cluster.Db.CreateDbContextAsync(Ct))
        {
            var project = await db.Projects.SingleAsync(p => p.Id == ProjectId.Default, Ct);
            project.SetQuota(new Quota(null, null, 512, null));
            await db.SaveChangesAsync(Ct);
        }

        var (host, dialog) = await OpenAsync(cluster, vm);
        await host.ByTestId("vm-resize-memory").InputAsync(new() { Value = "768" });
        await host.ByTestId("vm-resize-submit").ClickAsync(new());

        host.WaitForAssertion(() => Assert.Contains("memory quota by 256 MiB", host.ByTestId("vm-resize-error").TextContent, StringComparison.Ordinal));
        Assert.False(dialog.Result.IsCompleted);
        Assert.Equal(new VmSize(1, 256, 1), await SizeAsync(cluster, vm.Id));
    }

    [Fact]
    public async Task Submit_ValidSizes_ClosesWithResizeOperationAndReservesNewSize()
    {
        await using var cluster = await Admin.AdminTestCluster.StartAsync();
        var vm = await StoppedVmAsync(cluster, diskGiB: 1);
        var (host, dialog) = await OpenAsync(cluster, vm);

        await host.ByTestId("vm-resize-vcpus").InputAsync(new() { Value = "2" });
        await host.ByTestId("vm-resize-disk").InputAsync(new() { Value = "4" });
        await host.ByTestId("vm-resize-submit").ClickAsync(new());

        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var operation = Assert.IsType<OperationView>(result!.Data);
        Assert.Equal(Domain.Operations.OperationKinds.VmResize, operation.Kind);
        Assert.Equal(new VmSize(2, 256, 4), await SizeAsync(cluster, vm.Id));
    }

    private static async Task<(IRenderedComponent<MudHost> Host, IDialogReference Dialog)> OpenAsync(TestCluster cluster, VmView vm)
    {
        var host = cluster.Context.Render<MudHost>();
        var dialogs = cluster.Service<IDialogService>();
        var parameters = new DialogParameters<ResizeVmDialog> { { d => d.Vm, vm } };
        var dialog = await host.InvokeAsync(() => dialogs.ShowAsync<ResizeVmDialog>("Resize VM", parameters));
        host.WaitForAssertion(() => Assert.True(host.HasTestId("vm-resize-disk")));
        return (host, dialog);
    }

    /// <summary>A VM whose create operation finished as the agent would have finished it.</summary>
    private static async Task<VmView> StoppedVmAsync(TestCluster cluster, long diskGiB)
    {
        var created = await cluster.Service<CreateVmHandler>().HandleAsync(new CreateVmRequest("web-1", 1, 256, diskGiB, null, null, Start: false), Actor.System, Ct);
        Assert.True(created.IsSuccess, created.Error?.Message);
        await using var db = await cluster.Db.CreateDbContextAsync(Ct);
        var vm = await db.Vms.SingleAsync(v => v.Id == new VmId(created.Value!.Id), Ct);
        vm.Observe(VmObservation.Provisioned, DateTimeOffset.UtcNow, "disk created");
        vm.CompleteOperation(vm.ActiveOperationId!.Value, true, VmState.Stopped, null, DateTimeOffset.UtcNow);
        await db.SaveChangesAsync(Ct);
        return await VmCommands.ToViewAsync(db, vm, Ct);
    }

    private static async Task<VmSize> SizeAsync(TestCluster cluster, Guid id)
    {
        await using var db = await cluster.Db.CreateDbContextAsync(Ct);
        return (await db.Vms.AsNoTracking().SingleAsync(v => v.Id == new VmId(id), Ct)).Spec.Size;
    }
}
