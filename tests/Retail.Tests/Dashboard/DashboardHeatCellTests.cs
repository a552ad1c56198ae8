using System.Globalization;
using Microsoft.Playwright;
using Npgsql;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// The heatmap's drill-down (issue #12): a weekday-hour cell opens its revenue by store and by category for the current
/// filter, equal to SQL on marts.fct_sales; by mouse or keyboard; in the URL (&amp;cell=5-14), closed by Back.
/// Real Chromium, real `retail dashboard` process.
/// </summary>
[Collection(BrowserCollectionB.Name)]
public sealed class DashboardHeatCellTests(PostgresFixture pg) : BrowserDashboardTest(pg)
{
    // Whole weeks (week layer), a loose end of October (fine layer) and all of November (month layer).
    private static readonly DateOnly CellFrom = new(2025, 10, 6);
    private static readonly DateOnly CellTo = new(2025, 11, 30);
    private static readonly string Range = $"preset=custom&from={CellFrom:yyyy-MM-dd}&to={CellTo:yyyy-MM-dd}";

    private static readonly PageAssertionsToHaveURLOptions Wait = new() { Timeout = 15_000 };

    private static System.Text.RegularExpressions.Regex Url(string pattern) => new(pattern);

    private async Task<IPage> OpenAsync(string url)
    {
        var page = await DashboardPages.OpenAsync(Chromium.Browser, url);
        await DashboardPages.WaitSettledAsync(page);
        return page;
    }

    /// <summary>Revenue per store code and per category name of one weekday-hour over [from, to], straight from the facts.</summary>
    private async Task<(Dictionary<string, long> Stores, Dictionary<string, long> Categories)> CellFromFactsAsync(
        int isoDow, int hour, DateOnly from, DateOnly to, string? store = null)
    {
        async Task<Dictionary<string, long>> By(string key)
        {
            await using var cmd = W.Db.CreateCommand($"""
                SELECT {key}, sum(f.line_total_pence)::bigint
                FROM marts.fct_sales f JOIN marts.dim_store s USING (store_key) JOIN marts.dim_product p USING (product_key)
                JOIN marts.dim_category c ON c.category_key = p.category_key
                WHERE f.sale_date BETWEEN $1 AND $2 AND extract(isodow FROM f.sale_date) = $3
                  AND extract(hour FROM f.sold_at AT TIME ZONE 'Europe/London') = $4 AND ($5::text IS NULL OR s.store_code = $5)
                GROUP BY 1 HAVING sum(f.line_total_pence) <> 0
                """);
            cmd.Parameters.Add(new NpgsqlParameter { Value = from });
            cmd.Parameters.Add(new NpgsqlParameter { Value = to });
            cmd.Parameters.Add(new NpgsqlParameter { Value = isoDow });
            cmd.Parameters.Add(new NpgsqlParameter { Value = hour });
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
        return (await By("s.store_code"), await By("c.category_name"));
    }

    /// <summary>Each row's code → (revenue, per-day) from the panel's table.</summary>
    private static async Task<Dictionary<string, (long Revenue, long PerDay)>> PanelRowsAsync(IPage page, string testId)
    {
        var rows = await page.Locator($"[data-testid={testId}] tbody tr").EvaluateAllAsync<string[][]>(
            "rs => rs.map(r => [r.dataset.code, r.dataset.value, r.querySelector('[data-per-day]').dataset.perDay])");
        return rows.ToDictionary(r => r[0], r => (Long(r[1]), Long(r[2])));
    }

    /// <summary>Dates in [from, to] on the ISO weekday, counted one by one.</summary>
    private static int Weekdays(DateOnly from, DateOnly to, int isoDow)
    {
        var n = 0;
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            n += ((int)d.DayOfWeek + 6) % 7 + 1 == isoDow ? 1 : 0;
        }
        return n;
    }

    private static long Long(string s) => long.Parse(s, CultureInfo.InvariantCulture);

    private static async Task ExpectPanelEqualsFactsAsync(
        IPage page, (Dictionary<string, long> Stores, Dictionary<string, long> Categories) facts, int days)
    {
        var total = facts.Stores.Values.Sum();
        Assert.True(total > 0, "the cell has sales, so the comparison means something");
        await Assertions.Expect(page.Locator("[data-testid=heat-cell-total]"))
            .ToHaveAttributeAsync("data-value", total.ToString(CultureInfo.InvariantCulture), new() { Timeout = 15_000 });
        foreach (var (testId, expected) in new[] { ("heat-cell-stores", facts.Stores), ("heat-cell-categories", facts.Categories) })
        {
            var shown = await PanelRowsAsync(page, testId);
            Assert.Equal(expected.OrderBy(kv => kv.Key),
                shown.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.Revenue)).OrderBy(kv => kv.Key));
            Assert.All(shown, kv => Assert.Equal((long)Math.Round((decimal)kv.Value.Revenue / days, MidpointRounding.AwayFromZero),
                kv.Value.PerDay));
        }
    }

    [Fact]
    public async Task Clicking_a_heatmap_cell_shows_its_revenue_by_store_and_category_equal_to_the_facts_and_Back_closes_it()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?{Range}");
        await Assertions.Expect(page.Locator("[data-testid=heat-cell]")).ToHaveCountAsync(0);

        // The busiest cell: its figure on the heatmap is the panel's total.
        var cells = await page.Locator("[data-testid=heatmap] td[data-cell]").EvaluateAllAsync<string[][]>(
            "cs => cs.map(c => [c.dataset.cell, c.dataset.value])");
        var busiest = cells.MaxBy(c => long.Parse(c[1], CultureInfo.InvariantCulture))!;
        var (dow, hour) = (int.Parse(busiest[0].Split('-')[0], CultureInfo.InvariantCulture),
            int.Parse(busiest[0].Split('-')[1], CultureInfo.InvariantCulture));
        var history = await DashboardPages.HistoryLengthAsync(page);
        await page.Locator($"[data-testid=heatmap] td[data-cell='{busiest[0]}'] button").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(Url($"[?&]cell={busiest[0]}(&|$)"), Wait);
        await Assertions.Expect(page.Locator("[data-testid=heat-cell]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=heat-cell-total]")).ToHaveAttributeAsync("data-value", busiest[1]);
        var facts = await CellFromFactsAsync(dow, hour, CellFrom, CellTo);
        await ExpectPanelEqualsFactsAsync(page, facts, Weekdays(CellFrom, CellTo, dow));
        await Assertions.Expect(page.Locator($"[data-testid=heatmap] td[data-cell='{busiest[0]}'] button"))
            .ToHaveAttributeAsync("aria-pressed", "true");
        Assert.Equal(history + 1, await DashboardPages.HistoryLengthAsync(page));
        await DashboardPages.ShotAsync(page, "heat-cell-01-open");

        // Back closes it and leaves the rest of the view as it was.
        await page.GoBackAsync();
        await Assertions.Expect(page.Locator("[data-testid=heat-cell]")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        Assert.DoesNotContain("cell=", page.Url, StringComparison.Ordinal);
        Assert.Contains($"from={CellFrom:yyyy-MM-dd}", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator($"[data-testid=heatmap] td[data-cell='{busiest[0]}'] button"))
            .ToHaveAttributeAsync("aria-pressed", "false");
    }

    [Fact]
    public async Task A_cell_opens_and_closes_by_keyboard_and_follows_a_filter_change()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?{Range}");
        // Friday 14:00, reached by Tab like any button, opened with Enter.
        var cell = page.Locator("[data-testid=heatmap] td[data-cell='5-14'] button");
        await cell.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(Url("[?&]cell=5-14(&|$)"), Wait);
        await ExpectPanelEqualsFactsAsync(page, await CellFromFactsAsync(5, 14, CellFrom, CellTo), Weekdays(CellFrom, CellTo, 5));

        // Narrowing the view to one store narrows the open cell too: its figures follow the filter, never stale.
        var store = await page.Locator("[data-testid=store-table] tbody tr").First.GetAttributeAsync("data-code");
        await page.Locator("[data-testid=store-table] tbody tr button").First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(Url($"stores={store}.*cell=5-14"), Wait);
        var narrowed = await CellFromFactsAsync(5, 14, CellFrom, CellTo, store);
        await ExpectPanelEqualsFactsAsync(page, narrowed, Weekdays(CellFrom, CellTo, 5));
        Assert.Single(narrowed.Stores);

        // Close by keyboard: Space on the focused Close button.
        await page.Locator("[data-testid=heat-cell-close]").FocusAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.Locator("[data-testid=heat-cell]")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        Assert.DoesNotContain("cell=", page.Url, StringComparison.Ordinal);
        Assert.Contains($"stores={store}", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cell_in_the_URL_opens_with_the_page_and_a_bad_one_says_what_is_wrong()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?{Range}&cell=6-11");
        await ExpectPanelEqualsFactsAsync(page, await CellFromFactsAsync(6, 11, CellFrom, CellTo), Weekdays(CellFrom, CellTo, 6));
        await Assertions.Expect(page.Locator("#heat-cell-title")).ToContainTextAsync("Saturdays 11:00–12:00");

        var bad = await OpenAsync($"{app.Url}/?{Range}&cell=8-25");
        await Assertions.Expect(bad.Locator("[data-testid=url-problems]")).ToContainTextAsync("cell='8-25' is not a heatmap cell");
        await Assertions.Expect(bad.Locator("[data-testid=heat-cell]")).ToHaveCountAsync(0);
    }
}
