using System.Globalization;
using Microsoft.Playwright;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// The bugs of issue #12 around the URL and history, the date picker, downloads, comparisons and the theme, each seen
/// in real headless Chromium against the real dashboard process.
/// </summary>
[Collection(BrowserCollectionA.Name)]
public sealed class DashboardNavigationTests(PostgresFixture pg) : BrowserDashboardTest(pg)
{
    private Task<IPage> OpenAsync(string url, int width = 1440, ColorScheme scheme = ColorScheme.Light) =>
        DashboardPages.OpenAsync(Chromium.Browser, url, width, scheme);

    private static string Inv(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>Lets a late second navigation (the old bug came 60–80 ms after the first) happen before history is counted.</summary>
    private static async Task SettleAsync(IPage page)
    {
        await DashboardPages.WaitSettledAsync(page);
        await page.WaitForTimeoutAsync(1_000);
        await DashboardPages.WaitSettledAsync(page);
    }

    [Fact]
    public async Task A_preset_click_is_one_history_entry_keeps_the_preset_and_one_back_press_undoes_it()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?preset=30d");
        await SettleAsync(page);
        var before = await DashboardPages.HistoryLengthAsync(page);

        await HeadlessChromium.ClickUntilUrlAsync(page, page.Locator("[data-testid=preset-7d]"), "**preset=7d**");
        await SettleAsync(page);
        Assert.EndsWith("/?preset=7d", page.Url);
        Assert.Equal(before + 1, await DashboardPages.HistoryLengthAsync(page));
        await Assertions.Expect(page.Locator("[data-testid=preset-7d]"))
            .ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-chip-selected"));

        await HeadlessChromium.ClickUntilUrlAsync(page, page.Locator("[data-testid=preset-90d]"), "**preset=90d**");
        await SettleAsync(page);
        Assert.EndsWith("/?preset=90d", page.Url);
        Assert.Equal(before + 2, await DashboardPages.HistoryLengthAsync(page));
        await DashboardPages.ShotAsync(page, "nav-01-preset-90d");

        // One Back press returns to the previous view, and its numbers.
        await page.GoBackAsync();
        await page.WaitForURLAsync("**/?preset=7d");
        var expected = await W.KpisFromFactsAsync(To.AddDays(-6), To, [], []);
        await Assertions.Expect(page.Locator("[data-testid=kpi-revenue]"))
            .ToHaveAttributeAsync("data-value", Inv(expected.Revenue), new() { Timeout = 15_000 });
        await page.GoBackAsync();
        await page.WaitForURLAsync("**/?preset=30d");
    }

    [Fact]
    public async Task A_custom_range_is_one_navigation_shown_in_en_gb_with_an_unclipped_two_month_calendar()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?preset=30d");
        await SettleAsync(page);
        // en-GB: 02 Dec 2025, never 12/02/2025.
        await Assertions.Expect(page.Locator("#dates-start")).ToHaveValueAsync("02 Dec 2025");
        await Assertions.Expect(page.Locator("#dates-end")).ToHaveValueAsync("31 Dec 2025");
        // The label names a real input.
        Assert.Equal(1,
            await page.Locator($"#{await page.Locator("label:has-text('Dates')").First.GetAttributeAsync("for")}").CountAsync());
        var before = await DashboardPages.HistoryLengthAsync(page);

        await page.Locator("#dates-start").ClickAsync();
        var popover = page.Locator(".mud-popover-open").Filter(new() { Has = page.Locator(".mud-picker-calendar") });
        await Assertions.Expect(popover).ToBeVisibleAsync();
        await DashboardPages.ShotAsync(page, "nav-02-date-picker-open");
        // Not clipped to the input: two whole months, Sunday column included, inside the window.
        var box = (await popover.BoundingBoxAsync())!;
        Assert.True(box.Width >= 560, $"the calendar is {box.Width}px wide: clipped");
        Assert.True(box.X >= 0 && box.X + box.Width <= 1440, "the calendar runs off the window");
        await Assertions.Expect(popover.Locator(".mud-picker-calendar-header-last").First).ToBeVisibleAsync();
        await Assertions.Expect(popover.Locator(".mud-picker-calendar-container")).ToHaveCountAsync(2);

        var december = popover.Locator(".mud-picker-calendar-container").First;
        await december.Locator("button.mud-picker-calendar-day:not(.mud-hidden)", new() { HasTextString = "10" }).First.ClickAsync();
        await december.Locator("button.mud-picker-calendar-day:not(.mud-hidden)", new() { HasTextString = "20" }).First.ClickAsync();
        await page.WaitForURLAsync("**from=2025-12-10&to=2025-12-20**");
        await SettleAsync(page);
        Assert.Equal(before + 1, await DashboardPages.HistoryLengthAsync(page));
        var expected = await W.KpisFromFactsAsync(new DateOnly(2025, 12, 10), new DateOnly(2025, 12, 20), [], []);
        await Assertions.Expect(page.Locator("[data-testid=kpi-revenue]"))
            .ToHaveAttributeAsync("data-value", Inv(expected.Revenue), new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#dates-start")).ToHaveValueAsync("10 Dec 2025");
        await DashboardPages.ShotAsync(page, "nav-03-custom-range");
    }

    [Fact]
    public async Task A_csv_download_leaves_the_address_bar_and_history_alone()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var url = $"{app.Url}/?preset=90d&stores=BAR";
        var page = await OpenAsync(url);
        await SettleAsync(page);
        var before = await DashboardPages.HistoryLengthAsync(page);

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export-top]").ClickAsync());
        Assert.Equal("top-products.csv", download.SuggestedFilename);
        Assert.StartsWith("rank,sku,product", (await File.ReadAllLinesAsync(await download.PathAsync()))[0]);
        await page.WaitForTimeoutAsync(500);
        Assert.Equal(url, page.Url);
        Assert.Equal(before, await DashboardPages.HistoryLengthAsync(page));
        await Assertions.Expect(page.Locator("[data-testid=kpi-revenue]")).ToBeVisibleAsync();

        var daily = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export-daily]").ClickAsync());
        Assert.Equal("daily-revenue.csv", daily.SuggestedFilename);
        Assert.Equal(url, page.Url);
    }

    [Fact]
    public async Task A_filter_change_never_shows_the_old_figures_under_the_new_dates()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?preset=30d");
        await SettleAsync(page);
        const string Seen = """
            () => [document.querySelector('[data-testid=print-heading]')?.textContent.trim(),
                   document.querySelector('[data-testid=kpi-revenue]')?.dataset.value,
                   String(document.querySelectorAll('[data-testid=kpi-revenue] [data-testid=change-na]').length)]
            """;
        var before = await page.EvaluateAsync<string[]>(Seen);
        // Every DOM update from the click on, as the reader saw it: the dates the view says it is of, its revenue, its n/a.
        await page.EvaluateAsync($$"""
            () => { window.__seen = []; const seen = {{Seen}};
                new MutationObserver(() => window.__seen.push(seen()))
                    .observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true }); }
            """);
        // "All" starts on the first loaded day: its previous period is not loaded, so the KPI says n/a, unlike 30 days.
        await HeadlessChromium.ClickUntilUrlAsync(page, page.Locator("[data-testid=preset-all]"), "**preset=all**");
        var all = await W.KpisFromFactsAsync(From, To, [], []);
        await Assertions.Expect(page.Locator("[data-testid=kpi-revenue]"))
            .ToHaveAttributeAsync("data-value", Inv(all.Revenue), new() { Timeout = 15_000 });
        await SettleAsync(page);
        var after = await page.EvaluateAsync<string[]>(Seen);
        Assert.NotEqual(before[0], after[0]);
        Assert.Equal("1", after[2]);
        var seen = await page.EvaluateAsync<string[][]>("() => window.__seen");
        var mixed = seen.Where(v => !v.SequenceEqual(before) && !v.SequenceEqual(after)).Select(v => string.Join(" | ", v)).Distinct();
        Assert.Empty(mixed);
    }

    [Fact]
    public async Task A_partly_loaded_previous_period_shows_n_a_instead_of_a_percentage()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        // 90 days back from 31 Dec 2025 starts 3 Oct; the 90 days before that start in July, before the first load (1 Sep).
        var page = await OpenAsync($"{app.Url}/?preset=90d");
        await SettleAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=kpi-revenue] [data-testid=change-na]"))
            .ToHaveTextAsync("n/a — previous period not fully loaded");
        await Assertions.Expect(page.Locator("[data-testid=change-na]")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("[data-testid=kpi-revenue]")).Not.ToContainTextAsync("%");
        await DashboardPages.ShotAsync(page, "nav-04-previous-period-not-loaded");

        // 30 days: the previous 30 are loaded, so the change is shown, and it is the change on the facts.
        await HeadlessChromium.ClickUntilUrlAsync(page, page.Locator("[data-testid=preset-30d]"), "**preset=30d**");
        await Assertions.Expect(page.Locator("[data-testid=change-na]")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        var now = await W.KpisFromFactsAsync(To.AddDays(-29), To, [], []);
        var then = await W.KpisFromFactsAsync(To.AddDays(-59), To.AddDays(-30), [], []);
        var pct = Math.Abs((now.Revenue - then.Revenue) * 100m / then.Revenue).ToString("0.0", CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("[data-testid=kpi-revenue]")).ToContainTextAsync($"{pct}% vs previous period");
    }

    [Fact]
    public async Task Dark_mode_follows_the_system_and_a_choice_is_remembered()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync(app.Url, scheme: ColorScheme.Dark);
        await page.WaitForFunctionAsync("() => { const [r, g, b] = "
            + "getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return r + g + b < 200; }");
        await DashboardPages.ShotAsync(page, "nav-05-dark-from-system");

        // The visitor picks light; a reload keeps it, although the system still prefers dark.
        await HeadlessChromium.ToggleUntilAsync(page.GetByLabel("toggle dark mode"), pressed: false);
        await page.WaitForFunctionAsync("() => { const [r, g, b] = "
            + "getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return r + g + b > 600; }");
        await page.ReloadAsync();
        await DashboardPages.WaitInteractiveAsync(page);
        await DashboardPages.WaitSettledAsync(page);
        await page.WaitForTimeoutAsync(500);
        Assert.True(await DashboardPages.BackgroundBrightnessAsync(page) > 600, "the light choice was forgotten on reload");

        // And the other way round: a light system, dark chosen, remembered.
        var light = await OpenAsync(app.Url);
        Assert.True(await DashboardPages.BackgroundBrightnessAsync(light) > 600);
        await HeadlessChromium.ToggleUntilAsync(light.GetByLabel("toggle dark mode"), pressed: true);
        await light.WaitForFunctionAsync("() => { const [r, g, b] = "
            + "getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return r + g + b < 200; }");
        await light.ReloadAsync();
        await light.WaitForFunctionAsync("() => { const [r, g, b] = "
            + "getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return r + g + b < 200; }");
    }
}
