using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using NovaCron.Web.Components.Vms;
using NovaCron.Web.Tests.Support;
using Xunit;

namespace NovaCron.Web.Tests.Components;

public sealed class ExploreTests
{
    [Fact]
    public async Task Explore()
    {
        await using var cluster = await TestCluster.StartAsync();
        var host = cluster.Context.Render<MudHost>();
        var dialogs = cluster.Service<IDialogService>();
        await host.InvokeAsync(() => dialogs.ShowAsync<CreateVmDialog>("Create VM"));
        await Task.Delay(500, Xunit.TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync("/tmp/dialog.html", host.Markup, Xunit.TestContext.Current.CancellationToken);
    }
}
