using System.Globalization;
using Microsoft.Playwright;
using Npgsql;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// The charts and the heatmap re-render only when their data changed (RendersOnChange) and a click starts its load before
/// the browser echoes the navigation: after each filter change every widget must still show the new view's figures,
/// equal to SQL on marts.fct_sales, the daily chart's drawn data and the store and category bars included. A widget left
/// with stale data fails here.
/// </summary>
[Collection(BrowserCollectionB.Name)]
public sealed class DashboardWidgetRefreshTests(PostgresFixture pg) : BrowserDashboardTest(pg)
{
    /// <summary>Revenue per key (store code, category name, "all") over [from, to], optionally for one store, from the facts.</summary>
    private async Task<Dictionary<string, long>> RevenueByAsync(string key, DateOnly from, DateOnly to, string? store)
    {
        await using var cmd = W.Db.CreateCommand($"""
            SELECT {key}, sum(f.line_total_pence)::bigint
            FROM marts.fct_sales f JOIN marts.dim_store s USING (store_key) JOIN marts.dim_product p USING (product_key)
            JOIN marts.dim_category c ON c.category_key = p.category_key
            WHERE f.sale_date BETWEEN $1 AND $2 AND ($3::text IS NULL OR s.store_code = $3)
            GROUP BY 1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = from });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to });
        cmd.Parameters.Add(new NpgsqlParameter
        {
            Value = (object?)store ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text
        });
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            result[r.GetString(0)] = r.GetInt64(1);
        }
        return result;
    }

    private static string Inv(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>The sum, in pence, of a plotly chart's trace (by name, or the first), as drawn in the page.</summary>
    private static string DrawnPence(string chart, string axis, string? trace = null) =>
        $"(() => {{ const gd = document.getElementById('{chart}'); if (!gd || !gd.data) return null; "
        + $"const t = gd.data.find(t => {(trace is null ? "true" : $"t.name === '{trace}'")}); "
        + $"return t ? t.{axis}.reduce((n, v) => n + Math.round(v * 100), 0) : null; }})()";

    private static async Task ExpectDrawnAsync(IPage page, string expression, long pence)
    {
        try
        {
            await page.WaitForFunctionAsync($"() => {expression} === {pence}", null, new() { Timeout = 15_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{expression} drew {await page.EvaluateAsync<long?>(expression)}, expected {pence} ({page.Url})");
        }
    }

    /// <summary>Every widget shows [from, to] (one store, or all): KPI, daily chart, stores, categories, heatmap, top products.</summary>
    private async Task ExpectViewAsync(IPage page, DateOnly from, DateOnly to, string? store)
    {
        var total = (await RevenueByAsync("'all'", from, to, store)).Values.Single();
        var stores = await RevenueByAsync("s.store_code", from, to, store);
        var categories = await RevenueByAsync("c.category_name", from, to, store);
        var skus = await RevenueByAsync("p.sku", from, to, store);

        await Assertions.Expect(page.Locator("[data-testid=kpi-revenue]"))
            .ToHaveAttributeAsync("data-value", Inv(total), new() { Timeout = 15_000 });
        await DashboardPages.WaitSettledAsync(page);
        // The daily chart as plotly drew it, not only the markup around it.
        await ExpectDrawnAsync(page, DrawnPence("daily-chart", "y", "Revenue"), total);

        var storeRows = await CodesAsync(page, "store-table");
        Assert.Equal(stores.Keys.Order(), storeRows.Order());
        foreach (var (code, pence) in stores)
        {
            await Assertions.Expect(page.Locator($"[data-testid=store-table] tr[data-code='{code}'] td.num").First)
                .ToHaveTextAsync(Money(pence));
        }
        await ExpectBarsAsync(page, "store-table", "revenue-bar", stores);
        var categoryRows = await CodesAsync(page, "category-table");
        Assert.Equal(categories.Keys.Order(), categoryRows.Order());
        foreach (var (name, pence) in categories)
        {
            await Assertions.Expect(page.Locator($"[data-testid=category-table] tr[data-code='{name}'] td.num").First)
                .ToHaveTextAsync(Money(pence));
        }
        await ExpectBarsAsync(page, "category-table", "revenue-bar", categories);
        await Assertions.Expect(page.Locator("[data-testid=category-table] tbody .units-bar")).ToHaveCountAsync(categories.Count);
        var heat = await page.Locator("[data-testid=heatmap] td[data-value]")
            .EvaluateAllAsync<long[]>("cs => cs.map(c => Number(c.dataset.value))");
        Assert.Equal(total, heat.Sum());
        var top = skus.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First();
        Assert.Equal(top.Key, await page.Locator("[data-testid=top-products] tbody tr").First.GetAttributeAsync("data-sku"));
    }

    /// <summary>Each row's bar is its figure against the largest row's, to 0.1%: the bars are drawn from the same figures.</summary>
    private static async Task ExpectBarsAsync(IPage page, string table, string bar, IReadOnlyDictionary<string, long> pence)
    {
        var max = pence.Values.Max();
        foreach (var (code, value) in pence)
        {
            var width = value <= 0 ? 0m : Math.Round(value * 100m / max, 1, MidpointRounding.AwayFromZero);
            await Assertions.Expect(page.Locator($"[data-testid={table}] tr[data-code='{code}'] .{bar}"))
                .ToHaveAttributeAsync("style", $"inline-size:{Inv(width)}%");
        }
    }

    private static string Inv(decimal v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static Task<string[]> CodesAsync(IPage page, string table) =>
        page.Locator($"[data-testid={table}] tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.code)");

    private static string Money(long pence) => (pence / 100m).ToString("£#,##0.00", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Every_widget_shows_the_new_view_after_each_filter_change()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await DashboardPages.OpenAsync(Chromium.Browser, $"{app.Url}/?preset=30d");
        await DashboardPages.WaitSettledAsync(page);
        await ExpectViewAsync(page, To.AddDays(-29), To, null);

        // A date preset: every widget changes.
        await page.Locator("[data-testid=preset-7d]").ClickAsync();
        await ExpectViewAsync(page, To.AddDays(-6), To, null);

        // A store drill-down from its table.
        var store = await page.Locator("[data-testid=store-table] tbody tr").Nth(2).GetAttributeAsync("data-code");
        await page.Locator("[data-testid=store-table] tbody tr button").Nth(2).ClickAsync();
        await ExpectViewAsync(page, To.AddDays(-6), To, store);

        // Opening a heatmap cell keeps the widgets' data; a preset change after it still updates every one of them.
        await page.Locator("[data-testid=heatmap] td[data-cell] button").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=heat-cell]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await ExpectViewAsync(page, To.AddDays(-6), To, store);
        await page.Locator("[data-testid=preset-90d]").ClickAsync();
        await ExpectViewAsync(page, To.AddDays(-89), To, store);

        // Back twice, quickly: the view ends on the 7-day store view, not on whichever load finished last.
        await page.GoBackAsync();
        await page.GoBackAsync();
        await ExpectViewAsync(page, To.AddDays(-6), To, store);
        Assert.DoesNotContain("cell=", page.Url, StringComparison.Ordinal);
    }
}
