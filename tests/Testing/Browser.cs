using Microsoft.Playwright;

namespace NovaCron.Testing;

/// <summary>Debian's Chromium driven by Playwright (never a downloaded browser). A missing browser is a failure.</summary>
public static class Browser
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium package (scripts/setup-host.sh test does).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-quic", "--no-first-run",
            ],
        });
        return (playwright, browser);
    }

    /// <summary>Signs in through the sign-in page, then opens <paramref name="path"/> and waits until it is interactive.</summary>
    public static async Task<IPage> SignInAsync(IBrowser browser, Uri baseAddress, string userName, string password, string path)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(baseAddress, "/account/login").ToString());
        await page.Locator("#username").FillAsync(userName);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#sign-in").ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = 30_000 });
        await page.GotoAsync(new Uri(baseAddress, path).ToString());
        await page.Locator("#circuit-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        return page;
    }

    /// <summary>Opens a page and waits until the Blazor circuit is interactive; clicks before that are lost.</summary>
    public static async Task<IPage> OpenInteractiveAsync(IBrowser browser, Uri url)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(url.ToString());
        await page.Locator("#circuit-ready").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        return page;
    }
}
