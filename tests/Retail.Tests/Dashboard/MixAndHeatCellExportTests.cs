using System.Globalization;
using System.Net;
using nietras.SeparatedValues;
using Npgsql;
using Retail.Data.Queries;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// The mix card's and the heat cell panel's CSV downloads (issue #12), from a real `retail dashboard` process: the URL's
/// filter, money in pounds at the edge, figures equal to SQL on the facts; a missing or bad cell is a 400 with one line.
/// </summary>
[Collection(BrowserCollectionA.Name)]
public sealed class MixAndHeatCellExportTests(PostgresFixture pg) : IAsyncLifetime
{
    private static readonly DateOnly From = new(2025, 9, 1);
    private static readonly DateOnly To = new(2025, 12, 31);
    private const string Range = "preset=custom&from=2025-09-24&to=2025-11-12";
    private LoadedWarehouse _w = null!;
    private readonly TempDir _dir = new();

    public async Task InitializeAsync() => _w = await pg.SharedAsync("browser", 40_000, From, To);

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_mix_csv_holds_the_channel_payment_and_loyalty_figures_of_sql_on_the_facts_for_the_url_filter()
    {
        await using var app = await DashboardProcess.StartAsync(_w.Settings, _dir.Path);
        using var http = new HttpClient();
        using var response = await http.GetAsync($"{app.Url}/export/mix.csv?{Range}&stores=HEN,BAR&categories=Toys,Technology");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("mix.csv", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var csv = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("breakdown,name,net_revenue,revenue_share_percent,sales_receipts,sales_receipt_share_percent\n", csv,
            StringComparison.Ordinal);
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromText(csv);
        var rows = reader.Enumerate(r => (Part: r["breakdown"].ToString(), Name: r["name"].ToString(), Revenue: r["net_revenue"].ToString(),
            Share: r["revenue_share_percent"].ToString(), Receipts: r["sales_receipts"].ToString())).ToList();
        var f = new SalesFilter(new DateOnly(2025, 9, 24), new DateOnly(2025, 11, 12), await KeysAsync("store", ["HEN", "BAR"]),
            await KeysAsync("category", ["Toys", "Technology"]));
        foreach (var (part, breakdown) in new[] { ("channel", "channel"), ("payment", "payment_method"), ("loyalty", "loyalty") })
        {
            var expected = await MixQueriesTests.FromFactsAsync(_w.Db, part, f);
            var total = expected.Sum(e => e.Item2);
            Assert.Contains(expected, e => e.Item2 > 0);
            Assert.Equal(
                expected.Select(e => (e.Item1, Pounds(e.Item2), Percent(e.Item2, total),
                        (e.Item5 - e.Item6).ToString(CultureInfo.InvariantCulture)))
                    .OrderBy(e => e.Item1, StringComparer.Ordinal),
                rows.Where(r => r.Part == breakdown).Select(r => (r.Name, r.Revenue, r.Share, r.Receipts))
                    .OrderBy(e => e.Name, StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task The_heat_cell_csv_holds_that_hours_revenue_by_store_and_category_and_needs_a_cell()
    {
        await using var app = await DashboardProcess.StartAsync(_w.Settings, _dir.Path);
        using var http = new HttpClient();
        using var response = await http.GetAsync($"{app.Url}/export/heat-cell.csv?{Range}&stores=HEN,BAR&cell=6-14");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csv = await response.Content.ReadAsStringAsync();
        using var reader = Sep.Reader(o => o with { Unescape = true }).FromText(csv);
        var rows = reader.Enumerate(r => (Day: r["iso_weekday"].ToString(), Hour: r["hour"].ToString(), Part: r["breakdown"].ToString(),
            Code: r["code"].ToString(), Revenue: r["revenue"].ToString(), PerDay: r["revenue_per_weekday"].ToString())).ToList();
        Assert.All(rows, r => Assert.Equal(("6", "14"), (r.Day, r.Hour)));
        // Saturdays from 24 Sep to 12 Nov 2025: seven of them.
        foreach (var (part, key) in new[] { ("store", "s.store_code"), ("category", "c.category_name") })
        {
            var expected = await CellFromFactsAsync(key);
            Assert.NotEmpty(expected);
            Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, Pounds(e.Value),
                    Pounds((long)Math.Round(e.Value / 7m, MidpointRounding.AwayFromZero)))),
                rows.Where(r => r.Part == part).Select(r => (r.Code, r.Revenue, r.PerDay)).OrderBy(r => r.Code, StringComparer.Ordinal));
        }

        foreach (var bad in new[] { "", "&cell=9-99" })
        {
            using var refused = await http.GetAsync($"{app.Url}/export/heat-cell.csv?{Range}{bad}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var line = await refused.Content.ReadAsStringAsync();
            Assert.Contains("cell", line, StringComparison.Ordinal);
            Assert.Equal(1, line.Count(c => c == '\n'));
        }
    }

    private async Task<Dictionary<string, long>> CellFromFactsAsync(string key)
    {
        await using var cmd = _w.Db.CreateCommand($"""
            SELECT {key}, sum(f.line_total_pence)::bigint
            FROM marts.fct_sales f JOIN marts.dim_store s USING (store_key) JOIN marts.dim_product p USING (product_key)
            JOIN marts.dim_category c ON c.category_key = p.category_key
            WHERE f.sale_date BETWEEN '2025-09-24' AND '2025-11-12' AND extract(isodow FROM f.sale_date) = 6
              AND extract(hour FROM f.sold_at AT TIME ZONE 'Europe/London') = 14 AND s.store_code IN ('HEN', 'BAR')
            GROUP BY 1 HAVING sum(f.line_total_pence) <> 0
            """);
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            result[r.GetString(0)] = r.GetInt64(1);
        }
        return result;
    }

    private static string Pounds(long pence) => (pence / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Percent(long part, long total) =>
        (total == 0 ? 0m : Math.Round(100m * part / total, 2)).ToString("0.00", CultureInfo.InvariantCulture);

    private async Task<short[]> KeysAsync(string dimension, string[] codes)
    {
        var sql = dimension == "store"
            ? "SELECT array_agg(store_key) FROM marts.dim_store WHERE store_code = ANY ($1)"
            : "SELECT array_agg(category_key) FROM marts.dim_category WHERE category_name = ANY ($1)";
        await using var cmd = _w.Db.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = codes });
        return (short[])(await cmd.ExecuteScalarAsync())!;
    }
}
