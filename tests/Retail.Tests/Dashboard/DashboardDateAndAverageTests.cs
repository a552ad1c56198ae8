using System.Globalization;
using Microsoft.Playwright;
using Npgsql;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// Issue #12's last browser checks: a month a year back in a few clicks of the date picker, the 7-day average's first
/// points as the page shows them against the facts, and the loyalty-customer figure on one line at 1440 px.
/// Real Chromium, real `retail dashboard` process.
/// </summary>
[Collection(BrowserCollectionB.Name)]
public sealed class DashboardDateAndAverageTests : BrowserDashboardTest
{
    private readonly PostgresFixture _pg;

    public DashboardDateAndAverageTests(PostgresFixture pg) : base(pg) => _pg = pg;

    [Fact]
    public async Task The_same_month_a_year_back_takes_three_clicks_and_picks_a_range_shown_in_en_gb()
    {
        // The query tests' warehouse: October 2024 to December 2025, so a year back from December 2025 is loaded.
        var w = await QueriesWarehouse.LoadAsync(_pg);
        await using var app = await DashboardProcess.StartAsync(w.Settings, Dir.Path);
        var page = await DashboardPages.OpenAsync(Chromium.Browser, $"{app.Url}/?preset=30d");
        await DashboardPages.WaitSettledAsync(page);
        await page.Locator("#dates-start").ClickAsync();
        var popover = page.Locator(".mud-popover-open").Filter(new() { Has = page.Locator(".mud-picker-calendar") });
        var first = popover.Locator(".mud-picker-calendar-container").First;
        await Assertions.Expect(first.Locator(".mud-picker-calendar-header")).ToContainTextAsync("December 2025");

        // Three clicks: the year in the title, the year before, its December (the bug: 11 clicks on the month arrows).
        await popover.Locator("button.mud-button-year").ClickAsync();
        await popover.Locator(".mud-picker-year", new() { HasTextString = "2024" }).ClickAsync();
        await popover.Locator(".mud-picker-month", new() { HasTextString = "Dec" }).ClickAsync();
        await Assertions.Expect(first.Locator(".mud-picker-calendar-header")).ToContainTextAsync("December 2024");
        await DashboardPages.ShotAsync(page, "dates-01-a-year-back");

        var days = first.Locator("button.mud-picker-calendar-day:not(.mud-hidden)");
        await days.GetByText("10", new() { Exact = true }).ClickAsync();
        await days.GetByText("20", new() { Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**from=2024-12-10&to=2024-12-20**");
        await DashboardPages.WaitSettledAsync(page);
        // en-GB day first with the month's name: never 12/10/2024.
        await Assertions.Expect(page.Locator("#dates-start")).ToHaveValueAsync("10 Dec 2024");
        await Assertions.Expect(page.Locator("#dates-end")).ToHaveValueAsync("20 Dec 2024");
        var expected = await w.KpisFromFactsAsync(new DateOnly(2024, 12, 10), new DateOnly(2024, 12, 20), [], []);
        await Assertions.Expect(page.Locator("[data-testid=kpi-revenue]"))
            .ToHaveAttributeAsync("data-value", expected.Revenue.ToString(CultureInfo.InvariantCulture), new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task The_7_day_averages_first_point_averages_the_week_before_it_as_the_facts_do()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await DashboardPages.OpenAsync(Chromium.Browser, $"{app.Url}/?preset=7d");
        await DashboardPages.WaitSettledAsync(page);
        var firstDay = To.AddDays(-6);
        // Pence over the seven days to the window's first day (six of them before the window), published batches only.
        await using var cmd = W.Db.CreateCommand("""
            SELECT coalesce(sum(f.line_total_pence), 0)::bigint,
                   coalesce(sum(f.line_total_pence) FILTER (WHERE f.sale_date = $1), 0)::bigint
            FROM generate_series($1::date - 6, $1::date, interval '1 day') AS g(day)
            LEFT JOIN marts.fct_sales f ON f.sale_date = g.day::date
                 AND f.batch_id IN (SELECT batch_id FROM ops.published_batches)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = firstDay });
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        var (week, day) = (r.GetInt64(0), r.GetInt64(1));
        var trailing = week / 7m;
        // An average of the window's days alone would start at the first day's revenue: the check tells them apart.
        Assert.True(Math.Abs(trailing - day) > 1, "the first day's revenue equals the trailing average: pick another window");

        // The chart's own data (pounds), then the table it offers instead of the chart (shown money, to the penny).
        await page.WaitForFunctionAsync("() => document.getElementById('daily-chart')?.data?.length > 0", null,
            new() { Timeout = 30_000 });
        var plotted = await page.EvaluateAsync<string[]>("""
            () => { const t = document.getElementById('daily-chart').data.find(d => d.name === '7-day average');
                return [String(t.x[0]), String(t.y[0])]; }
            """);
        Assert.Equal(firstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), plotted[0]);
        var pence = decimal.Parse(plotted[1], CultureInfo.InvariantCulture) * 100m;
        Assert.True(Math.Abs(pence - trailing) <= 0.5m, $"the chart starts at {pence} pence, the facts' trailing average is {trailing}");

        var toggle = page.Locator("[data-testid=daily-table-toggle]");
        await HeadlessChromium.PressUntilAsync(toggle, "Enter", async () => await toggle.GetAttributeAsync("aria-expanded") == "true");
        var firstRow = page.Locator("[data-testid=daily-table] tbody tr").First;
        await Assertions.Expect(firstRow).ToHaveAttributeAsync("data-date", firstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var shown = decimal.Parse((await firstRow.Locator("td").Nth(2).InnerTextAsync()).Trim().TrimStart('£').Replace(",", ""),
            CultureInfo.InvariantCulture) * 100m;
        Assert.True(Math.Abs(shown - trailing) <= 0.5m, $"the table starts at {shown} pence, the facts' trailing average is {trailing}");
    }

    [Fact]
    public async Task The_unique_customers_figure_fits_on_one_line_at_1440_px()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await DashboardPages.OpenAsync(Chromium.Browser, $"{app.Url}/?preset=all", width: 1440);
        await DashboardPages.WaitSettledAsync(page);
        var customers = page.Locator("[data-testid=kpi-customers-value]");
        var lines = await customers.EvaluateAsync<double[]>("""
            v => [v.getBoundingClientRect().height,
                document.querySelector('[data-testid=kpi-revenue-value]').getBoundingClientRect().height]
            """);
        await DashboardPages.ShotAsync(page, "kpi-01-customers-1440");
        Assert.True(lines[0] <= lines[1] + 1, $"the figure is {lines[0]} px high, the one-line revenue {lines[1]} px: it wraps");
        // The estimate is still said, on the card.
        await Assertions.Expect(page.Locator("[data-testid=kpi-customers]")).ToContainTextAsync("estimate");
    }
}
