using System.Globalization;
using System.Text.RegularExpressions;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Rollups;

/// <summary>
/// No cold fill: a real `retail dashboard` answers its very first request with the warehouse's numbers, and again
/// right after a restart (nothing is held in its memory that a restart would have to rebuild).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class DashboardRestartTests(PostgresFixture pg)
{
    [Fact]
    public async Task The_first_page_after_a_start_and_after_a_restart_carries_the_numbers()
    {
        var w = await pg.SharedAsync("layered", 50_000, new DateOnly(2025, 8, 20), new DateOnly(2025, 12, 10));
        var revenue = await w.Db.ScalarAsync<long>("SELECT sum(line_total_pence)::bigint FROM marts.fct_sales");
        var units = await w.Db.ScalarAsync<long>("SELECT sum(quantity)::bigint FROM marts.fct_sales");
        using var dir = new TempDir();
        for (var start = 0; start < 2; start++)
        {
            await using var app = await DashboardProcess.StartAsync(w.Settings, dir.Path);
            using var http = new HttpClient();
            // The first request this process serves: the server-side render already holds every KPI.
            var page = await http.GetStringAsync($"{app.Url}/?preset=all");
            Assert.Equal(revenue.ToString(CultureInfo.InvariantCulture), KpiValue(page, "revenue"));
            Assert.Equal(units.ToString(CultureInfo.InvariantCulture), KpiValue(page, "units"));
            Assert.Contains("(estimate, ±5%)", System.Net.WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        }
    }

    private static string KpiValue(string html, string id)
    {
        var m = KpiRegex().Matches(html).FirstOrDefault(m => m.Groups[1].Value == id);
        Assert.True(m is not null, $"no kpi-{id} in the first page");
        return m.Groups[2].Value;
    }

    [GeneratedRegex("data-testid=\"kpi-([a-z]+)\"[^>]*?data-value=\"(-?[0-9]+)\"")]
    private static partial Regex KpiRegex();
}
