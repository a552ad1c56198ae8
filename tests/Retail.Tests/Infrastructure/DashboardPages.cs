using Microsoft.Playwright;

namespace Retail.Tests.Infrastructure;

/// <summary>Opening dashboard pages in a fresh browser context and keeping screenshots of them.</summary>
public static class DashboardPages
{
    /// <summary>A new context (own history and localStorage) at the given width and system colour scheme, once interactive.</summary>
    public static async Task<IPage> OpenAsync(IBrowser browser, string url, int width = 1440, ColorScheme scheme = ColorScheme.Light,
        int height = 1600)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height },
            AcceptDownloads = true, ColorScheme = scheme });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>The page marks itself once the interactive circuit is up; clicking before that does nothing.</summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        page.Locator("#dashboard[data-ready=true]").WaitForAsync(new() { Timeout = 30_000 });

    /// <summary>Waits until the page has finished loading the data for its URL.</summary>
    public static Task WaitSettledAsync(IPage page) =>
        page.Locator("#dashboard[data-ready=true][data-loading=false]").WaitForAsync(new() { Timeout = 15_000 });

    public static Task<int> HistoryLengthAsync(IPage page) => page.EvaluateAsync<int>("() => history.length");

    /// <summary>A full-page screenshot once every chart on the page has drawn (plotly loads and draws after the page).</summary>
    public static async Task ShotAsync(IPage page, string name)
    {
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.chart-area > div[id]')].every(d => "
            + "d.querySelector('.main-svg'))", null, new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(HeadlessChromium.Screenshots, $"{name}.png"), FullPage = true });
    }

    /// <summary>Sum of the body's background RGB channels: above 600 is light, below 200 dark.</summary>
    public static Task<int> BackgroundBrightnessAsync(IPage page) =>
        page.EvaluateAsync<int>("() => { const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); "
            + "return r + g + b; }");
}
