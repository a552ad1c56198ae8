using Npgsql;
using Retail.Data.Queries;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

[Collection(PostgresCollection.Name)]
public sealed class SalesQueriesTests(PostgresFixture pg) : IAsyncLifetime
{
    private LoadedWarehouse _w = null!;
    private SalesQueries _q = null!;
    private FilterOptions _options = null!;

    public async Task InitializeAsync()
    {
        (_w, _q, _options) = await QueriesWarehouse.OpenAsync(pg);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private SalesFilter Filter(string from, string to, string[] stores, string[] categories) => new(
        DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
        DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture),
        _options.Stores.Where(s => stores.Contains(s.Code)).Select(s => s.Key).ToArray(),
        _options.Categories.Where(c => categories.Contains(c.Code)).Select(c => c.Key).ToArray());

    public static TheoryData<string, string, string[], string[]> Filters => new()
    {
        { "2025-10-01", "2025-12-31", new string[0], new string[0] },
        { "2025-10-01", "2025-12-31", new[] { "HEN", "BAR" }, new string[0] },
        { "2025-11-01", "2025-11-30", new string[0], new[] { "Toys", "Technology" } },
        { "2025-11-15", "2025-12-20", new[] { "MLH", "BXC", "WEM" }, new[] { "Home & Garden" } },
        { "2025-12-01", "2025-12-01", new string[0], new string[0] },
        { "2025-12-25", "2025-12-25", new string[0], new string[0] },
        { "2030-01-01", "2030-01-31", new[] { "HEN" }, new string[0] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Every_kpi_equals_an_independent_computation_over_the_facts(
        string from, string to, string[] stores, string[] categories)
    {
        var f = Filter(from, to, stores, categories);
        var k = await _q.GetKpisForAsync(f, CancellationToken.None);
        var expected = await _w.KpisFromFactsAsync(f.From, f.To, stores, categories);
        Assert.Equal(expected with { Customers = 0 }, (k.RevenuePence, k.Transactions, k.Units, k.Lines, 0L));
        // Unique customers are a HyperLogLog estimate, within the bound the dashboard states.
        Assert.InRange(k.UniqueCustomers,
            expected.Customers * (1 - Kpis.UniqueCustomersErrorBound), expected.Customers * (1 + Kpis.UniqueCustomersErrorBound));
        Assert.Equal(
            expected.Transactions == 0 ? 0 : Math.Round(expected.Revenue / 100m / expected.Transactions, 2), k.AverageTransactionValue);

        var data = await _q.GetDashboardAsync(f, TopBy.Revenue, compareLastYear: true, CancellationToken.None);
        Assert.Equal(expected.Revenue, data.Daily.Sum(d => d.RevenuePence));
        Assert.Equal(f.Days, data.Daily.Count);
        Assert.Equal(expected.Revenue, data.ByStore.Sum(s => s.RevenuePence));
        Assert.Equal(expected.Units, data.ByCategory.Sum(s => s.Units));
        Assert.Equal(expected.Revenue, data.Heatmap.Sum(h => h.RevenuePence));
        var lastYear = await _w.KpisFromFactsAsync(f.LastYear.From, f.LastYear.To, stores, categories);
        Assert.Equal(lastYear.Revenue, data.Kpis.LastYear!.RevenuePence);
        var previous = await _w.KpisFromFactsAsync(f.Previous.From, f.Previous.To, stores, categories);
        Assert.Equal(previous.Transactions, data.Kpis.Previous.Transactions);
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task The_month_rollups_answer_exactly_what_the_fine_rollups_alone_answer(
        string from, string to, string[] stores, string[] categories)
    {
        var fineOnly = new SalesQueries(_w.Db) { UseMonthRollups = false };
        var f = Filter(from, to, stores, categories);
        foreach (var top in new[] { TopBy.Revenue, TopBy.Units })
        {
            var sql = await _q.GetDashboardAsync(f, top, compareLastYear: true, CancellationToken.None);
            var mem = await fineOnly.GetDashboardAsync(f, top, compareLastYear: true, CancellationToken.None);
            Assert.Equal(sql.Kpis, mem.Kpis);
            Assert.Equal(sql.Daily, mem.Daily);
            Assert.Equal(sql.ByStore, mem.ByStore);
            Assert.Equal(sql.ByCategory, mem.ByCategory);
            Assert.Equal(sql.TopProducts, mem.TopProducts);
            Assert.Equal(sql.Heatmap, mem.Heatmap);
        }
    }

    [Fact]
    public async Task The_reader_follows_published_batches_in_and_out()
    {
        var f = Filter("2025-12-01", "2025-12-07", [], []);
        var all = (await _q.GetKpisForAsync(f, CancellationToken.None)).RevenuePence;
        await using (var hide = _w.Db.CreateCommand("UPDATE ops.load_batches SET published = false WHERE min_sale_date = '2025-12-03'"))
        {
            await hide.ExecuteNonQueryAsync();
        }
        var without = (await _q.GetKpisForAsync(f, CancellationToken.None)).RevenuePence;
        Assert.Equal(
            (await _w.KpisFromFactsAsync(f.From, f.To, [], [])).Revenue
            - await _w.Db.ScalarAsync<long>("SELECT sum(line_total_pence)::bigint FROM marts.fct_sales WHERE sale_date = '2025-12-03'"),
            without);
        Assert.True(without < all);
        await using (var show = _w.Db.CreateCommand("UPDATE ops.load_batches SET published = true"))
        {
            await show.ExecuteNonQueryAsync();
        }
        Assert.Equal(all, (await _q.GetKpisForAsync(f, CancellationToken.None)).RevenuePence);
    }

    [Fact]
    public async Task Top_products_and_the_moving_average_match_the_facts()
    {
        var f = Filter("2025-11-01", "2025-12-31", ["HEN", "EDG"], []);
        foreach (var by in new[] { TopBy.Revenue, TopBy.Units })
        {
            var top = await _q.GetTopProductsAsync(f, by, 10, CancellationToken.None);
            var expected = await _w.TopFromFactsAsync(f.From, f.To, ["HEN", "EDG"], by == TopBy.Units);
            Assert.Equal(expected, top.Select(t => (t.Sku, t.Units, t.RevenuePence)).ToList());
            Assert.Equal(Enumerable.Range(1, 10), top.Select(t => t.Rank));
        }
        var daily = await _q.GetDailyAsync(f, CancellationToken.None);
        var seventh = daily[10];
        Assert.Equal(Math.Round(daily.Skip(4).Take(7).Average(d => (decimal)d.RevenuePence), 2), seventh.MovingAverage7Pence);
    }

    [Fact]
    public async Task The_dashboard_role_cannot_change_data_and_unpublished_batches_stay_hidden()
    {
        await using var ro = Retail.Dashboard.DashboardApp.ReadOnlyDataSource(pg.Endpoint(_w.Settings));
        await using var cmd = ro.CreateCommand("DELETE FROM marts.fct_sales");
        var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
        // Refused by the login's rights, not by a session setting a pooled reset could undo.
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);

        var f = Filter("2025-12-01", "2025-12-01", [], []);
        var before = await _q.GetKpisForAsync(f, CancellationToken.None);
        Assert.True(before.RevenuePence > 0);
        await using (var hide = _w.Db.CreateCommand("UPDATE ops.load_batches SET published = false WHERE min_sale_date = '2025-12-01'"))
        {
            await hide.ExecuteNonQueryAsync();
        }
        Assert.Equal(0, (await _q.GetKpisForAsync(f, CancellationToken.None)).RevenuePence);
        await using (var show = _w.Db.CreateCommand("UPDATE ops.load_batches SET published = true"))
        {
            await show.ExecuteNonQueryAsync();
        }
    }
}
