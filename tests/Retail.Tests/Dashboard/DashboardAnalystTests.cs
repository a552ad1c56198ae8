using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// The dashboard as an analyst uses it (issue #12): charts read at a glance, drill-down and sorting through the URL,
/// accessibility (axe-core, WCAG 2.1 AA), layout at desktop and phone widths, print. Real Chromium, real process.
/// </summary>
[Collection(BrowserCollectionA.Name)]
public sealed partial class DashboardAnalystTests(PostgresFixture pg) : BrowserDashboardTest(pg)
{
    private async Task<IPage> OpenAsync(string url, int width = 1440, ColorScheme scheme = ColorScheme.Light)
    {
        var page = await DashboardPages.OpenAsync(Chromium.Browser, url, width, scheme);
        await DashboardPages.WaitSettledAsync(page);
        return page;
    }

    private static string Inv(long v) => v.ToString(CultureInfo.InvariantCulture);

    private async Task ExpectRevenueAsync(IPage page, DateOnly from, DateOnly to, string[] stores, string[] categories)
    {
        var expected = await W.KpisFromFactsAsync(from, to, stores, categories);
        await Assertions.Expect(page.Locator("[data-testid=kpi-revenue]"))
            .ToHaveAttributeAsync("data-value", Inv(expected.Revenue), new() { Timeout = 15_000 });
    }

    [GeneratedRegex(@"^£\d+(\.\d+)?[kM]?$")]
    private static partial Regex MoneyTick();

    [Fact]
    public async Task The_daily_chart_has_a_pound_axis_in_k_from_zero_and_tooltips_with_the_date_and_pounds()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?preset=30d");
        var ticks = page.Locator("#daily-chart .ytick text");
        await Assertions.Expect(ticks.First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var texts = await ticks.AllTextContentsAsync();
        Assert.All(texts, t => Assert.Matches(MoneyTick(), t.Trim()));
        Assert.Equal("£0", texts[0].Trim());
        Assert.Contains(texts, t => t.EndsWith('k'));
        // Axis text is legible: at least 12 px.
        Assert.True(await ticks.First.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)") >= 12);

        // Hovering a day shows its date and its revenue in pounds, equal to the facts.
        var plot = page.Locator("#daily-chart .nsewdrag").First;
        var box = (await plot.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width - 2, box.Y + box.Height / 2);
        var hover = page.Locator("#daily-chart .hoverlayer");
        await Assertions.Expect(hover).ToContainTextAsync("Wed 31 Dec 2025", new() { Timeout = 10_000 });
        var day = await W.KpisFromFactsAsync(To, To, [], []);
        await Assertions.Expect(hover)
            .ToContainTextAsync($"Revenue {(day.Revenue / 100m).ToString("£#,##0.00", CultureInfo.InvariantCulture)}");
        await DashboardPages.ShotAsync(page, "analyst-01-charts-tooltip");
    }

    [Fact]
    public async Task The_heatmap_shows_values_on_a_sequential_scale_and_closed_hours_as_closed()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?preset=all");
        var cells = page.Locator("[data-testid=heatmap] td[data-value]");
        Assert.True(await cells.CountAsync() > 50);
        // The darkest cell holds the biggest value, the lightest the smallest.
        var values = await cells.EvaluateAllAsync<double[][]>(
            "cs => cs.map(c => { const [r, g, b] = getComputedStyle(c).backgroundColor.match(/\\d+/g).map(Number); "
            + "return [Number(c.dataset.value), r + g + b]; })");
        var byValue = values.OrderBy(v => v[0]).ToArray();
        Assert.True(byValue[0][1] > byValue[^1][1], "the scale runs light to dark");
        Assert.Equal(byValue.Select(v => v[1]), byValue.Select(v => v[1]).OrderByDescending(b => b));
        // Values are written in the cells.
        Assert.All(await cells.AllInnerTextsAsync(), t => Assert.Matches(@"^\d+(\.\d)?$", t.Trim()));
        // Sundays open later and close earlier than weekdays: their first hour of the weekday span is closed, and says so.
        var closed = page.Locator("[data-testid=heatmap] td.heat-closed");
        Assert.True(await closed.CountAsync() > 0);
        await Assertions.Expect(closed.First).ToContainTextAsync("closed");
        await DashboardPages.ShotAsync(page, "analyst-02-heatmap");
    }

    [Fact]
    public async Task Clicking_a_store_a_category_or_a_day_narrows_the_view_and_Back_returns()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?preset=30d");

        await HeadlessChromium.ClickUntilUrlAsync(
            page, page.GetByRole(AriaRole.Button, new() { Name = "Filter to Argos Hendon" }), "**stores=HEN**");
        await ExpectRevenueAsync(page, To.AddDays(-29), To, ["HEN"], []);
        await HeadlessChromium.ClickUntilUrlAsync(
            page, page.GetByRole(AriaRole.Button, new() { Name = "Filter to Toys" }), "**categories=Toys**");
        await ExpectRevenueAsync(page, To.AddDays(-29), To, ["HEN"], ["Toys"]);
        Assert.Contains("stores=HEN", page.Url);
        await DashboardPages.ShotAsync(page, "analyst-03-drill-hendon-toys");

        await page.GoBackAsync();
        // The address as the page has it: Playwright's record of a history step can lag or be missed under load.
        await page.WaitForFunctionAsync("() => !location.href.includes('categories')");
        await ExpectRevenueAsync(page, To.AddDays(-29), To, ["HEN"], []);
        await page.GoForwardAsync();
        await ExpectRevenueAsync(page, To.AddDays(-29), To, ["HEN"], ["Toys"]);

        // The store bars: the top row is the biggest store of the view, its bar full width; picking it narrows the view.
        var page2 = await OpenAsync($"{app.Url}/?preset=30d");
        var stores = await page2.Locator("[data-testid=store-table] tbody tr")
            .EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.name)");
        var top = page2.Locator("[data-testid=store-table] tbody tr").First;
        await Assertions.Expect(top.Locator(".revenue-bar")).ToHaveAttributeAsync("style", "inline-size:100%");
        await HeadlessChromium.ClickUntilUrlAsync(page2, top.Locator("button"), "**stores=**");
        await Assertions.Expect(page2.Locator("[data-testid=store-filter]")).ToHaveValueAsync(stores[0], new() { Timeout = 15_000 });

        // A day in the daily chart's table: the view becomes that one day, for the store picked above.
        await page2.Locator("[data-testid=daily-table-toggle]").ClickAsync();
        await HeadlessChromium.ClickUntilUrlAsync(
            page2, page2.GetByRole(AriaRole.Button, new() { Name = "Look at Wed 10 Dec 2025 alone" }), "**from=2025-12-10&to=2025-12-10**");
        Assert.Contains("stores=", page2.Url);
    }

    [Fact]
    public async Task Tables_sort_by_each_column_and_say_so_with_aria_sort()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?preset=90d");
        var table = page.Locator("[data-testid=store-table]");
        var revenueHeader = table.Locator("th", new() { Has = page.Locator("[data-testid=sort-revenue]") });
        await Assertions.Expect(revenueHeader).ToHaveAttributeAsync("aria-sort", "descending");
        async Task<long[]> Revenues() => (await table.Locator("tbody tr td:nth-child(2)").AllInnerTextsAsync())
            .Select(t => long.Parse(t.Replace("£", "").Replace(",", "").Replace(".", ""), CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal((await Revenues()).OrderByDescending(v => v), await Revenues());

        await table.Locator("[data-testid=sort-revenue]").ClickAsync();
        await Assertions.Expect(revenueHeader).ToHaveAttributeAsync("aria-sort", "ascending");
        Assert.Equal((await Revenues()).OrderBy(v => v), await Revenues());

        // By keyboard: the name header is a button.
        await table.Locator("[data-testid=sort-name]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(table.Locator("th", new() { Has = page.Locator("[data-testid=sort-name]") }))
            .ToHaveAttributeAsync("aria-sort", "ascending");
        await Assertions.Expect(revenueHeader).ToHaveAttributeAsync("aria-sort", "none");
        var names = await table.Locator("tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.name)");
        Assert.Equal(names.Order(StringComparer.Ordinal), names);

        // Top products by units, sorted by the units column.
        var top = page.Locator("[data-testid=top-products]");
        await top.Locator("[data-testid=sort-units]").ClickAsync();
        // The header and the rows come in one render: once the header says so, the rows are the sorted ones.
        await Assertions.Expect(top.Locator("th", new() { Has = page.Locator("[data-testid=sort-units]") }))
            .ToHaveAttributeAsync("aria-sort", "descending");
        var units = (await top.Locator("tbody tr td:nth-child(4)").AllInnerTextsAsync())
            .Select(t => long.Parse(t.Replace(",", ""), CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(units.OrderByDescending(u => u), units);
    }

    [Fact]
    public async Task The_main_views_have_no_serious_or_critical_accessibility_violations()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var problems = new List<string>();
        async Task Scan(IPage page, string state) => problems.AddRange(await AxeScan.SeriousAsync(page, state));

        var page = await OpenAsync($"{app.Url}/?preset=30d");
        await Assertions.Expect(page.Locator("h1")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("main")).ToHaveCountAsync(1);
        await Scan(page, "default");
        await page.Locator("[data-testid=daily-table-toggle]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=daily-table] tbody tr")).ToHaveCountAsync(30);
        await Scan(page, "daily table shown");
        await Scan(await OpenAsync($"{app.Url}/?preset=90d&stores=HEN&top=units"), "filtered, n/a comparisons");
        var dark = await OpenAsync($"{app.Url}/?preset=30d", scheme: ColorScheme.Dark);
        await dark.WaitForFunctionAsync("() => document.querySelector('[data-theme=dark]') !== null");
        await dark.WaitForFunctionAsync("() => { const [r, g, b] = "
            + "getComputedStyle(document.querySelector('.mud-paper')).backgroundColor.match(/\\d+/g).map(Number); "
            + "return r + g + b < 200; }");
        await dark.WaitForTimeoutAsync(500);
        await Scan(dark, "dark");
        await Scan(await OpenAsync($"{app.Url}/?preset=30d", width: 390), "phone");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Five_kpis_fill_a_desktop_row_and_nothing_overflows_on_a_phone()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var desktop = await OpenAsync($"{app.Url}/?preset=all");
        var cards = desktop.Locator("[data-testid^=kpi-]:not([data-testid$=-value])");
        await Assertions.Expect(cards).ToHaveCountAsync(5);
        var boxes = await cards.EvaluateAllAsync<double[][]>(
            "cs => cs.map(c => { const r = c.getBoundingClientRect(); return [r.top, r.right]; })");
        Assert.Single(boxes.Select(b => Math.Round(b[0])).Distinct());
        var gridRight = await desktop.Locator(".kpi-grid").EvaluateAsync<double>("g => g.getBoundingClientRect().right");
        Assert.True(Math.Abs(boxes[^1][1] - gridRight) < 2, "the last card ends at the row's end: no empty slot");
        await DashboardPages.ShotAsync(desktop, "analyst-04-desktop-1440");

        var phone = await OpenAsync($"{app.Url}/?preset=all", width: 390);
        var overflowing = await phone.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('[data-testid^=kpi-], .mud-simple-table, .heatmap-scroll, .chart-card')]
                .filter(e => e.scrollWidth > e.clientWidth + 1)
                .map(e => (e.dataset.testid || e.className) + ' ' + e.scrollWidth + '>' + e.clientWidth)
            """);
        Assert.Empty(overflowing);
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "the page scrolls sideways");
        await DashboardPages.ShotAsync(phone, "analyst-05-phone-390");
    }

    [Fact]
    public async Task Printing_gives_a_clean_report_of_the_current_view_in_at_most_two_pages()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        // One store's view, and every store's (the default view, with the longest store table).
        foreach (var (query, heading, file) in new[]
            { ("preset=30d&stores=HEN", "Argos Hendon", "analyst-06-print"), ("preset=30d", "all stores", "analyst-06-print-all") })
        {
            var page = await OpenAsync($"{app.Url}/?{query}");
            await page.EmulateMediaAsync(new() { Media = Media.Print });
            await Assertions.Expect(page.Locator(".mud-appbar")).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator(".filter-bar")).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator("[data-testid=print-heading]")).ToContainTextAsync(heading);
            // Every card at its full height before printing: the mix and the new customers load after the other widgets,
            // and a PDF taken before them came out a page shorter than the report a user prints.
            await DashboardPages.WaitSettledAsync(page);
            await Assertions.Expect(page.Locator("[data-testid=mix-card]")).ToHaveAttributeAsync("data-loaded", "true");
            await Assertions.Expect(page.Locator("[data-testid=newcust-table]")).ToBeAttachedAsync();
            await page.WaitForFunctionAsync("() => document.querySelector('#daily-chart .main-svg')");
            var pdf = await page.PdfAsync(new() { Format = "A4", Landscape = true, PrintBackground = true });
            var pages = Regex.Matches(System.Text.Encoding.Latin1.GetString(pdf), @"/Type\s*/Page[^s]").Count;
            File.WriteAllBytes(Path.Combine(HeadlessChromium.Screenshots, $"{file}.pdf"), pdf);
            Assert.True(pages is >= 1 and <= 2, $"{query}: {pages} pages");
        }
    }
}
