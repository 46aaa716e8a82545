using Microsoft.Playwright;
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
        var page = await Browser.OpenInteractiveAsync(_browser, new Uri(_stack.BaseAddress, "/vms"));
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
    }

    [Fact]
    public async Task CreateVm_InvalidName_ShowsReadableMessageAndCreatesNothing()
    {
        var page = await Browser.OpenInteractiveAsync(_browser, new Uri(_stack.BaseAddress, "/vms"));

        await page.GetByTestId("create-vm-button").ClickAsync();
        await NameInput(page).FillAsync("Not_Valid");
        await page.GetByTestId("vm-create-submit").ClickAsync();

        await Assertions.Expect(page.GetByText("not a valid VM name")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 10_000 });
        var vms = await _stack.GetAsync<NovaCronStack.PageOf<Web.Realtime.VmView>>("/api/v1/vms");
        Assert.Empty(vms!.Items);
    }
}
