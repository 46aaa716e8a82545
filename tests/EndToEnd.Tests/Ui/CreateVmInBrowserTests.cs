using Microsoft.Playwright;
using System.Net.Http.Json;
using NovaCron.Testing;

namespace NovaCron.EndToEnd.Tests.Ui;

/// <summary>A person creates a VM in the browser and watches it reach Running without reloading the page.</summary>
public sealed class CreateVmInBrowserTests : IAsyncLifetime
{
    private NovaCronStack _stack = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async ValueTask InitializeAsync()
    {
        _stack = await NovaCronStack.StartAsync();
        (_playwright, _browser) = await Browser.LaunchAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _stack.DisposeAsync();
    }

    // MudTextField may put the test id on its wrapper or on the input itself.
    private static ILocator NameInput(IPage page) => page.Locator("input[data-testid=vm-name-input], [data-testid=vm-name-input] input").First;

    [Fact]
    public async Task CreateVm_FromVmsPage_ReachesRunningWithoutReload()
    {
        var page = await Browser.SignInAsync(_browser, _stack.BaseAddress, NovaCronStack.AdminUserName, _stack.AdminPassword, "/vms");
        var navigations = 0;
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                navigations++;
            }
        };

        await page.GetByTestId("create-vm-button").ClickAsync();
        await NameInput(page).FillAsync("browser-vm");
        await page.GetByTestId("vm-create-submit").ClickAsync();

        var state = page.GetByTestId("vm-state-browser-vm");
        await Assertions.Expect(state).ToContainTextAsync("Running", new LocatorAssertionsToContainTextOptions { Timeout = 90_000 });
        Assert.Equal(0, navigations);

        // The audit record names the browser's address, as API records do.
        var created = await _stack.InDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.AuditRecords, r => r.Action == "vm.create" && r.TargetName == "browser-vm"));
        Assert.Equal("ui 127.0.0.1", created.Source);
    }

    [Fact]
    public async Task Viewer_SeesVmsButNoCreateOrDestructiveActions()
    {
        var created = await _stack.Api.PostAsJsonAsync("/api/v1/vms", new { name = "viewed", vCpus = 1, memoryMiB = 128, diskGiB = 1, start = false }, NovaCronStack.Json);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var viewer = Domain.Identity.Role.BuiltIn.Single(r => r.Name == Domain.Identity.Role.Viewer).Id;
        await _stack.CreateUserAsync("vera", "viewer-password-123", null, [(Domain.Projects.ProjectId.Default, viewer)]);

        var page = await Browser.SignInAsync(_browser, _stack.BaseAddress, "vera", "viewer-password-123", "/vms");

        await Assertions.Expect(page.GetByTestId("vm-state-viewed")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        Assert.Equal(0, await page.GetByTestId("create-vm-button").CountAsync());
        foreach (var action in new[] { "start", "stop", "force-stop", "reboot", "pause", "resume", "delete" })
        {
            Assert.Equal(0, await page.GetByTestId($"vm-action-{action}-viewed").CountAsync());
        }

        // The detail page offers no actions either, and no administration pages are linked.
        await page.GetByTestId("vm-link-viewed").ClickAsync();
        await Assertions.Expect(page.GetByText("Spec")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        Assert.Equal(0, await page.GetByTestId("vm-action-delete-viewed").CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Users" }).CountAsync());

        // Every page of the application that needs a permission the Viewer lacks, typed into the address bar, shows the
        // access-denied page and none of its own content.
        var access = new Domain.Identity.UserAccess(Guid.NewGuid(), "vera", [], [(Domain.Projects.ProjectId.Default, Domain.Identity.Role.BuiltIn.Single(r => r.Name == Domain.Identity.Role.Viewer).Permissions)]);
        var forbidden = PagesNeedingPermission().Where(p => !access.Can(p.Permission)).ToList();
        Assert.Contains(forbidden, p => p.Route == "/admin/users");
        foreach (var (route, _) in forbidden)
        {
            await page.GotoAsync(new Uri(_stack.BaseAddress, route).ToString());
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Access denied" })).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30_000 });
        }
    }

    /// <summary>The application's routable pages without route parameters and the permission their policy names.</summary>
    private static IEnumerable<(string Route, string Permission)> PagesNeedingPermission() =>
        from type in typeof(Web.Components.App).Assembly.GetTypes()
        from route in type.GetCustomAttributes(typeof(Microsoft.AspNetCore.Components.RouteAttribute), false).Cast<Microsoft.AspNetCore.Components.RouteAttribute>()
        from authorize in type.GetCustomAttributes(typeof(Microsoft.AspNetCore.Authorization.AuthorizeAttribute), true).Cast<Microsoft.AspNetCore.Authorization.AuthorizeAttribute>()
        where !route.Template.Contains('{', StringComparison.Ordinal) && authorize.Policy?.StartsWith(Web.Security.PermissionPolicy.Prefix, StringComparison.Ordinal) == true
        select (route.Template, authorize.Policy![Web.Security.PermissionPolicy.Prefix.Length..]);

    [Fact]
    public async Task CreateVm_InvalidName_ShowsReadableMessageAndCreatesNothing()
    {
        var page = await Browser.SignInAsync(_browser, _stack.BaseAddress, NovaCronStack.AdminUserName, _stack.AdminPassword, "/vms");

        await page.GetByTestId("create-vm-button").ClickAsync();
        await NameInput(page).FillAsync("Not_Valid");
        await page.GetByTestId("vm-create-submit").ClickAsync();

        await Assertions.Expect(page.GetByText("not a valid VM name")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 10_000 });
        var vms = await _stack.GetAsync<NovaCronStack.PageOf<Web.Realtime.VmView>>("/api/v1/vms");
        Assert.Empty(vms!.Items);
    }
}
