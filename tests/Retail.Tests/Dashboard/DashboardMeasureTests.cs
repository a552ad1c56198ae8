using System.Globalization;
using Microsoft.Playwright;
using Npgsql;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// Smaller analyst items of issue #12: the headline average transaction value over sales receipts with its definition
/// on screen, and bank holidays and Black Friday marked on the daily chart from dim_date. Real Chromium, real process.
/// </summary>
[Collection(BrowserCollectionA.Name)]
public sealed class DashboardMeasureTests(PostgresFixture pg) : BrowserDashboardTest(pg)
{
    private async Task<IPage> OpenAsync(string url)
    {
        var page = await DashboardPages.OpenAsync(Chromium.Browser, url);
        await DashboardPages.WaitSettledAsync(page);
        return page;
    }

    [Fact]
    public async Task The_average_transaction_value_card_is_gross_sales_over_sales_receipts_and_says_so()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?preset=30d&stores=HEN");
        await using var cmd = W.Db.CreateCommand("""
            SELECT sum(f.line_total_pence) FILTER (WHERE f.quantity > 0)::bigint,
                   count(DISTINCT f.transaction_id) FILTER (WHERE f.quantity > 0)
            FROM marts.fct_sales f JOIN marts.dim_store s USING (store_key)
            WHERE f.sale_date BETWEEN $1 AND $2 AND s.store_code = 'HEN'
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = To.AddDays(-29) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = To });
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        var (gross, receipts) = (r.GetInt64(0), r.GetInt64(1));
        var pence = (long)(Math.Round(gross / 100m / receipts, 2) * 100);
        await Assertions.Expect(page.Locator("[data-testid=kpi-atv]"))
            .ToHaveAttributeAsync("data-value", pence.ToString(CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("[data-testid=kpi-atv-value]"))
            .ToHaveTextAsync((pence / 100m).ToString("£#,##0.00", CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("[data-testid=definition-atv]"))
            .ToHaveTextAsync("Gross sales ÷ receipts with a sale; refund-only receipts and returns left out.");
    }

    [Fact]
    public async Task Bank_holidays_and_Black_Friday_from_dim_date_are_marked_on_the_daily_chart_and_in_its_table()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?preset=all");
        var expected = new List<(string Date, string Label)>();
        await using (var cmd = W.Db.CreateCommand("""
            SELECT date_key::text, CASE WHEN is_uk_bank_holiday THEN 'Bank holiday' ELSE 'Black Friday' END FROM marts.dim_date
            WHERE date_key BETWEEN $1 AND $2
              AND (is_uk_bank_holiday OR date_key = (date_trunc('month', make_date(year, 11, 1))::date
                   + ((4 - extract(isodow FROM make_date(year, 11, 1))::int + 7) % 7) + 21 + 1))
            ORDER BY 1
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = From });
            cmd.Parameters.Add(new NpgsqlParameter { Value = To });
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                expected.Add((r.GetString(0), r.GetString(1)));
            }
        }
        // September to December 2025: Black Friday 28 Nov, Christmas Day and Boxing Day.
        Assert.Equal([("2025-11-28", "Black Friday"), ("2025-12-25", "Bank holiday"), ("2025-12-26", "Bank holiday")], expected);

        var labels = page.Locator("#daily-chart .annotation-text");
        await Assertions.Expect(labels).ToHaveCountAsync(expected.Count, new() { Timeout = 15_000 });
        Assert.Equal(["Black Friday", "BH", "BH"], (await labels.AllTextContentsAsync()).Select(t => t.Trim()));
        await page.Locator("[data-testid=daily-table-toggle]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=daily-table] tbody tr")).ToHaveCountAsync(To.DayNumber - From.DayNumber + 1);
        var marked = await page.Locator("[data-testid=daily-table] tbody tr:has([data-testid=day-marker])")
            .EvaluateAllAsync<string[][]>(
                "rs => rs.map(r => [r.dataset.date, r.querySelector('[data-testid=day-marker]').textContent.replace('·', '').trim()])");
        Assert.Equal(expected.Select(e => new[] { e.Date, e.Label }), marked);
        await DashboardPages.ShotAsync(page, "measures-01-markers");
    }
}
