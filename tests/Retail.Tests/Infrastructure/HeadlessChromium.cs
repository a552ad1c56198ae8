using Microsoft.Playwright;

namespace Retail.Tests.Infrastructure;

/// <summary>
/// Debian's chromium driven by Playwright, headless, with the flags that keep it from calling hosts it cannot reach
/// (see FIELD_NOTES). Screenshots of browser tests go to artifacts/screenshots.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "artifacts",
        "screenshots");

    private readonly IPlaywright _playwright;

    public IBrowser Browser { get; }

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(Screenshots);
        return new HeadlessChromium(playwright, browser);
    }

    /// <summary>Clicks until the URL shows the new filter (a click during a Blazor re-render can be lost).</summary>
    public static async Task ClickUntilUrlAsync(IPage page, ILocator target, string urlGlob)
    {
        for (var attempt = 1; ; attempt++)
        {
            await target.ClickAsync();
            try
            {
                await page.WaitForURLAsync(urlGlob, new() { Timeout = 5_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 4)
            {
            }
        }
    }

    /// <summary>
    /// Clicks a toggle until its aria-pressed reads <paramref name="pressed"/> (a click during a Blazor re-render can be
    /// lost); it clicks again only while the toggle still shows the old state, so a late first click is not undone.
    /// </summary>
    public static async Task ToggleUntilAsync(ILocator toggle, bool pressed)
    {
        var want = pressed ? "true" : "false";
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            if (await toggle.GetAttributeAsync("aria-pressed") != want)
            {
                await toggle.ClickAsync();
            }
            for (var wait = 0; wait < 50; wait++)
            {
                if (await toggle.GetAttributeAsync("aria-pressed") == want)
                {
                    return;
                }
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"the toggle did not become aria-pressed={want} after 4 clicks");
    }

    /// <summary>
    /// Focuses the target and presses a key until <paramref name="done"/> holds (a key press during a Blazor re-render can be
    /// lost, as a click can); it presses again only while <paramref name="done"/> is still false.
    /// </summary>
    public static async Task PressUntilAsync(ILocator target, string key, Func<Task<bool>> done)
    {
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await target.FocusAsync();
            await target.PressAsync(key);
            for (var wait = 0; wait < 50; wait++)
            {
                if (await done())
                {
                    return;
                }
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"{key} on the control did not take effect after 4 presses");
    }

    /// <summary>Clicks the middle of the target with the mouse until the URL changes: for chart marks that lie under
    /// the chart's own event layer, which Playwright's element click would wait on.</summary>
    public static async Task MouseClickUntilUrlAsync(IPage page, ILocator target, string urlGlob)
    {
        for (var attempt = 1; ; attempt++)
        {
            var box = await target.BoundingBoxAsync() ?? throw new InvalidOperationException("the target is not on screen");
            await page.Mouse.ClickAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
            try
            {
                await page.WaitForURLAsync(urlGlob, new() { Timeout = 5_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 4)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
