using System.Globalization;
using Microsoft.Playwright;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// The page's server-side render is shared between visitors of the same URL for a second: every browser that gets the
/// shared HTML still starts its own interactive circuit and shows the warehouse's numbers; other URLs get their own.
/// </summary>
[Collection(BrowserCollectionA.Name)]
public sealed class DashboardPageCacheTests(PostgresFixture pg) : IAsyncLifetime
{
    private static readonly DateOnly From = new(2025, 9, 1);
    private static readonly DateOnly To = new(2025, 12, 31);
    private LoadedWarehouse _w = null!;
    private HeadlessChromium _chromium = null!;
    private IBrowser _browser = null!;
    private readonly TempDir _dir = new();

    public async Task InitializeAsync()
    {
        _w = await pg.SharedAsync("browser", 40_000, From, To);
        _chromium = await HeadlessChromium.LaunchAsync();
        _browser = _chromium.Browser;
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Browsers_sharing_one_render_each_get_a_working_page_with_the_right_numbers()
    {
        await using var app = await DashboardProcess.StartAsync(_w.Settings, _dir.Path);
        var url = $"{app.Url}/?preset=7d&stores=HEN";
        using var http = new HttpClient();
        // Every render carries its own circuit-marker ids, so identical bodies mean a shared render. Five quick
        // requests span at most one expiry of the one-second entry: at most two distinct bodies, not five.
        var bodies = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            bodies.Add(await http.GetStringAsync(url));
        }
        Assert.True(bodies.Distinct().Count() <= 2, $"{bodies.Distinct().Count()} different renders for 5 requests");
        Assert.DoesNotContain(await http.GetStringAsync($"{app.Url}/?preset=7d&stores=BAR"), bodies);

        var expected = await _w.KpisFromFactsAsync(To.AddDays(-6), To, ["HEN"], []);
        var pages = new List<IPage>();
        for (var i = 0; i < 3; i++)
        {
            var context = await _browser.NewContextAsync();
            var page = await context.NewPageAsync();
            await page.GotoAsync(url);
            pages.Add(page);
        }
        foreach (var page in pages)
        {
            await page.Locator("#dashboard[data-ready=true]").WaitForAsync(new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("[data-testid=kpi-revenue]"))
                .ToHaveAttributeAsync("data-value", expected.Revenue.ToString(CultureInfo.InvariantCulture));
        }
        // Each circuit is its own: a filter change in one leaves the others alone.
        await HeadlessChromium.ClickUntilUrlAsync(pages[0], pages[0].Locator("[data-testid=preset-30d]"), "**preset=30d**");
        var month = await _w.KpisFromFactsAsync(To.AddDays(-29), To, ["HEN"], []);
        await Assertions.Expect(pages[0].Locator("[data-testid=kpi-revenue]"))
            .ToHaveAttributeAsync("data-value", month.Revenue.ToString(CultureInfo.InvariantCulture), new() { Timeout = 15_000 });
        await Assertions.Expect(pages[1].Locator("[data-testid=kpi-revenue]"))
            .ToHaveAttributeAsync("data-value", expected.Revenue.ToString(CultureInfo.InvariantCulture));
    }
}
