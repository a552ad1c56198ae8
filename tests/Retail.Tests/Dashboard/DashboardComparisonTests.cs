using System.Globalization;
using Microsoft.Playwright;
using Npgsql;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// Comparisons everywhere (issue #12): the store, category and top-product tables show the change against the previous
/// period and last year, equal to SQL on the facts, sortable, and "n/a" where that period is not wholly loaded; the
/// daily chart draws the previous period by day offset. Real Chromium, real dashboard process.
/// </summary>
[Collection(BrowserCollectionB.Name)]
public sealed class DashboardComparisonTests(PostgresFixture pg) : BrowserDashboardTest(pg)
{
    private async Task<IPage> OpenAsync(string url, int width = 1440)
    {
        var page = await DashboardPages.OpenAsync(Chromium.Browser, url, width);
        await DashboardPages.WaitSettledAsync(page);
        return page;
    }

    /// <summary>Revenue in pence per store code, category name or SKU over [from, to], straight from fct_sales.</summary>
    private async Task<Dictionary<string, long>> RevenueFromFactsAsync(string key, DateOnly from, DateOnly to)
    {
        await using var cmd = W.Db.CreateCommand($"""
            SELECT {key}, sum(f.line_total_pence)::bigint
            FROM marts.fct_sales f JOIN marts.dim_store s USING (store_key) JOIN marts.dim_product p USING (product_key)
            JOIN marts.dim_category c ON c.category_key = p.category_key
            WHERE f.sale_date BETWEEN $1 AND $2 GROUP BY 1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = from });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to });
        var revenue = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            revenue[r.GetString(0)] = r.GetInt64(1);
        }
        return revenue;
    }

    private static string Expected(long now, long then) =>
        then == 0 ? "none" : Math.Round((now - then) * 100m / Math.Abs(then), 1).ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>Each row's key (data attribute) and its change cells' data-change values, in the table's order.</summary>
    private static Task<string[][]> RowsAsync(ILocator table, string keyAttribute) =>
        table.Locator("tbody tr").EvaluateAllAsync<string[][]>(
            $$"""
            rs => rs.map(r => [r.getAttribute('{{keyAttribute}}'),
                               ...[...r.querySelectorAll('td[data-change]')].map(td => td.dataset.change)])
            """);

    [Fact]
    public async Task Stores_categories_and_products_show_the_change_vs_the_previous_period_equal_to_the_facts_and_sort_by_it()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?preset=30d");
        var (from, to) = (To.AddDays(-29), To);
        var (prevFrom, prevTo) = (from.AddDays(-30), from.AddDays(-1));

        foreach (var (testId, key, attribute) in new[]
                 { ("store-table", "s.store_code", "data-code"), ("category-table", "c.category_name", "data-code") })
        {
            var now = await RevenueFromFactsAsync(key, from, to);
            var then = await RevenueFromFactsAsync(key, prevFrom, prevTo);
            var rows = await RowsAsync(page.Locator($"[data-testid={testId}]"), attribute);
            Assert.Equal(now.Count, rows.Length);
            foreach (var row in rows)
            {
                Assert.Equal(Expected(now[row[0]], then.GetValueOrDefault(row[0])), row[1]);
                // Last year (September to December 2024) is not in the warehouse: n/a, never a percentage.
                Assert.Equal("n/a", row[2]);
            }
        }
        await Assertions.Expect(page.Locator("[data-testid=store-table] [data-testid=table-change-na]")).ToHaveCountAsync(0);

        // The top products: the same column, by SKU.
        var skuNow = await RevenueFromFactsAsync("p.sku", from, to);
        var skuThen = await RevenueFromFactsAsync("p.sku", prevFrom, prevTo);
        var products = await RowsAsync(page.Locator("[data-testid=top-products]"), "data-sku");
        Assert.Equal(10, products.Length);
        Assert.All(products, row => Assert.Equal(Expected(skuNow[row[0]], skuThen.GetValueOrDefault(row[0])), row[1]));

        // Sorting by the change: biggest rise first, then flipped; aria-sort says so.
        var stores = page.Locator("[data-testid=store-table]");
        var header = stores.Locator("th", new() { Has = page.Locator("[data-testid=sort-vs-previous]") });
        await stores.Locator("[data-testid=sort-vs-previous]").ClickAsync();
        await Assertions.Expect(header).ToHaveAttributeAsync("aria-sort", "descending");
        var changes = (await RowsAsync(stores, "data-code")).Select(r => decimal.Parse(r[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(changes.OrderByDescending(c => c), changes);
        Assert.True(changes.Distinct().Count() > 1, "the stores' changes differ, so the order means something");
        await stores.Locator("[data-testid=sort-vs-previous]").ClickAsync();
        await Assertions.Expect(header).ToHaveAttributeAsync("aria-sort", "ascending");
        changes = (await RowsAsync(stores, "data-code")).Select(r => decimal.Parse(r[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(changes.OrderBy(c => c), changes);
        await DashboardPages.ShotAsync(page, "compare-01-stores-by-change");
    }

    [Fact]
    public async Task The_daily_chart_draws_the_previous_period_by_day_offset_with_its_dates()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?preset=30d");
        // Three lines: the previous period, revenue, the 7-day average.
        await Assertions.Expect(page.Locator("#daily-chart .scatterlayer .trace")).ToHaveCountAsync(3, new() { Timeout = 15_000 });

        await page.Locator("[data-testid=daily-table-toggle]").ClickAsync();
        var days = page.Locator("[data-testid=daily-table] tbody tr");
        await Assertions.Expect(days).ToHaveCountAsync(30);
        var from = To.AddDays(-29);
        foreach (var offset in new[] { 0, 13, 29 })
        {
            var row = days.Nth(offset);
            var previous = from.AddDays(offset - 30);
            await Assertions.Expect(row.Locator("[data-testid=previous-day]"))
                .ToHaveTextAsync(previous.ToString("ddd dd MMM yyyy", CultureInfo.InvariantCulture));
            var revenue = (await W.KpisFromFactsAsync(previous, previous, [], [])).Revenue;
            await Assertions.Expect(row.Locator("[data-testid=previous-revenue]"))
                .ToHaveTextAsync((revenue / 100m).ToString("£#,##0.00", CultureInfo.InvariantCulture));
        }

        // Hovering the first day names the previous period's day in the tooltip.
        var plot = page.Locator("#daily-chart .nsewdrag").First;
        var box = (await plot.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + 2, box.Y + box.Height / 2);
        var firstPrevious = from.AddDays(-30).ToString("ddd dd MMM yyyy", CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("#daily-chart .hoverlayer"))
            .ToContainTextAsync($"Previous period ({firstPrevious})", new() { Timeout = 10_000 });
        await DashboardPages.ShotAsync(page, "compare-02-daily-previous-period");
    }

    [Fact]
    public async Task Without_a_wholly_loaded_previous_period_the_tables_say_n_a_and_the_chart_draws_no_previous_line()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        // Everything loaded: the previous period lies wholly before the first load.
        var page = await OpenAsync($"{app.Url}/?preset=all");
        foreach (var testId in new[] { "store-table", "category-table" })
        {
            var table = page.Locator($"[data-testid={testId}]");
            await Assertions.Expect(table.Locator("[data-testid=table-change-na]"))
                .ToContainTextAsync("n/a — previous period not fully loaded");
            Assert.All(await RowsAsync(table, "data-code"), row => Assert.Equal(["n/a", "n/a"], row[1..]));
        }
        Assert.All(await RowsAsync(page.Locator("[data-testid=top-products]"), "data-sku"), row => Assert.Equal("n/a", row[1]));
        await Assertions.Expect(page.Locator("#daily-chart .scatterlayer .trace")).ToHaveCountAsync(2, new() { Timeout = 15_000 });
        await DashboardPages.ShotAsync(page, "compare-03-n-a");
    }
}
