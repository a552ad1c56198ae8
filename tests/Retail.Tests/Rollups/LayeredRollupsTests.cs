using Npgsql;
using Retail.Core.Generation;
using Retail.Data.Loading;
using Retail.Data.Queries;
using Retail.Data.Rollups;
using Retail.Pipeline.Staging;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Rollups;

/// <summary>
/// The dashboard's reader over the layered rollups (current month rollups + per-batch fine rollups) against SQL on
/// the facts: every widget exact for random filters, unique customers within the stated HLL bound, and the month
/// rollups never read when stale (a killed rebuild, an unpublished batch, a forced reload).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LayeredRollupsTests(PostgresFixture pg) : IAsyncLifetime
{
    private static readonly DateOnly First = new(2025, 8, 20);
    private static readonly DateOnly Last = new(2025, 12, 10);
    private LoadedWarehouse _w = null!;
    private SalesQueries _q = null!;
    private FilterOptions _options = null!;

    public async Task InitializeAsync()
    {
        _w = await pg.SharedAsync("layered", 50_000, First, Last);
        _q = new SalesQueries(_w.ReadOnly.Value);
        _options = await _q.GetFilterOptionsAsync(CancellationToken.None);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_widget_equals_sql_on_the_facts_for_random_filters_and_customers_stay_within_the_bound()
    {
        // The load rebuilt the month rollups: Sep, Oct and Nov are whole and current.
        Assert.Equal([new(2025, 8, 1), new(2025, 9, 1), new(2025, 10, 1), new(2025, 11, 1), new(2025, 12, 1)],
            (await _q.CurrentMonthsAsync(CancellationToken.None)).Order());
        var rng = new Random(10);
        var worst = 0.0;
        var usedMonths = 0;
        var usedWeeks = 0;
        var current = await _q.CurrentAsync(CancellationToken.None);
        for (var i = 0; i < 40; i++)
        {
            var from = First.AddDays(rng.Next(-10, 100));
            var to = i % 5 == 0 ? from : from.AddDays(rng.Next(0, 110));
            var stores = rng.Next(2) == 0 ? [] : _options.Stores.OrderBy(_ => rng.Next()).Take(rng.Next(1, 5)).Select(s => s.Key).ToArray();
            var categories = rng.Next(2) == 0
                ? []
                : _options.Categories.OrderBy(_ => rng.Next()).Take(rng.Next(1, 4)).Select(c => c.Key).ToArray();
            var f = new SalesFilter(from, to, stores, categories);
            var top = rng.Next(2) == 0 ? TopBy.Revenue : TopBy.Units;
            var plan = current.Plan(from, to);
            usedMonths += plan.Months.Count;
            usedWeeks += plan.Weeks.Count;
            worst = Math.Max(worst, await AssertWidgetsAsync(f, top));
        }
        Assert.True(usedMonths >= 20, $"only {usedMonths} whole months read from the month rollups");
        Assert.True(usedWeeks >= 40, $"only {usedWeeks} whole weeks read from the week rollups");
        Assert.True(worst <= Kpis.UniqueCustomersErrorBound,
            $"worst unique-customer error {worst:P2} exceeds the stated ±{Kpis.UniqueCustomersErrorBound:P0}");
    }

    /// <summary>Asserts every widget against the facts; returns the relative error of the unique-customer estimate.</summary>
    private async Task<double> AssertWidgetsAsync(SalesFilter f, TopBy top)
    {
        var label = $"{f.From}..{f.To} stores [{string.Join(',', f.Stores)}] categories [{string.Join(',', f.Categories)}]";
        var data = await _q.GetDashboardAsync(f, top, compareLastYear: false, CancellationToken.None);
        var k = data.Kpis.Current;
        var e = await RollupFacts.KpisAsync(_w.Db, f.From, f.To, f.StoreArray, f.CategoryArray);
        Assert.True((e.Revenue, e.Units, e.Lines, e.Gross, e.Returns, e.Discount, e.ReturnUnits, e.Receipts, e.RefundReceipts)
            == (k.RevenuePence, k.Units, k.Lines, k.GrossPence, k.ReturnsPence, k.DiscountPence, k.ReturnUnits, k.Transactions,
                k.RefundReceipts),
            $"{label}: facts {e}, reader {k}");
        Assert.Equal(k.RevenuePence, k.GrossPence - k.ReturnsPence);
        var prev = await RollupFacts.KpisAsync(_w.Db, f.Previous.From, f.Previous.To, f.Previous.StoreArray, f.Previous.CategoryArray);
        Assert.Equal((prev.Revenue, prev.Receipts), (data.Kpis.Previous.RevenuePence, data.Kpis.Previous.Transactions));

        Assert.Equal(await RollupFacts.ByAsync(_w.Db, "store", f.From, f.To, f.StoreArray, f.CategoryArray),
            data.ByStore.Select(s => (s.Name, s.RevenuePence, s.Units)).ToList());
        Assert.Equal(await RollupFacts.ByAsync(_w.Db, "category", f.From, f.To, f.StoreArray, f.CategoryArray),
            data.ByCategory.Select(s => (s.Name, s.RevenuePence, s.Units)).ToList());
        Assert.Equal(await RollupFacts.TopAsync(_w.Db, top == TopBy.Units, f.From, f.To, f.StoreArray, f.CategoryArray),
            data.TopProducts.Select(t => (t.Sku, t.Units, t.RevenuePence)).ToList());
        Assert.Equal(await RollupFacts.HeatAsync(_w.Db, f.From, f.To, f.StoreArray, f.CategoryArray),
            data.Heatmap.Select(h => (h.IsoDayOfWeek, h.Hour, h.RevenuePence)).ToList());

        // The daily series and a true trailing 7-day average (lead-in days before the window, none before the first day loaded
        // unless the window itself starts earlier).
        var daily = await RollupFacts.DailyAsync(_w.Db, f.From.AddDays(-6), f.To, f.StoreArray, f.CategoryArray);
        Assert.Equal(f.Days, data.Daily.Count);
        foreach (var p in data.Daily)
        {
            Assert.Equal(daily.GetValueOrDefault(p.Date), p.RevenuePence);
            var window = Enumerable.Range(0, 7).Select(d => p.Date.AddDays(-d)).Where(d => d >= (First < f.From ? First : f.From)).ToList();
            Assert.Equal(Math.Round(window.Average(d => (decimal)daily.GetValueOrDefault(d)), 2), p.MovingAverage7Pence);
        }

        if (e.Customers == 0)
        {
            Assert.Equal(0, k.UniqueCustomers);
            return 0;
        }
        return Math.Abs(k.UniqueCustomers - e.Customers) / (double)e.Customers;
    }

    [Fact]
    public async Task A_month_whose_rollups_are_stale_is_read_from_the_fine_rollups()
    {
        var october = new SalesFilter(new DateOnly(2025, 10, 1), new DateOnly(2025, 10, 31), [], []);
        var facts = (await RollupFacts.KpisAsync(_w.Db, october.From, october.To, null, null)).Revenue;
        await using (var cmd = _w.Db.CreateCommand(
            "UPDATE marts.agg_month_sales SET revenue_pence = revenue_pence + 1 WHERE month = '2025-10-01'"))
        {
            Assert.True(await cmd.ExecuteNonQueryAsync() > 0);
        }
        try
        {
            // The month rollups are what is read while current (so this test can see them): for all stores, their all-store rows...
            var rows = await _w.Db.ScalarAsync<long>(
                "SELECT count(*) FROM marts.agg_month_sales WHERE month = '2025-10-01' AND store_key = 0");
            Assert.Equal(facts + rows, (await _q.GetKpisForAsync(october, CancellationToken.None)).RevenuePence);
            // ...and never once their signature is not that of the published batches (a rebuild killed half-way, a publish not
            // yet rebuilt).
            await using (var cmd = _w.Db.CreateCommand("UPDATE marts.rollup_months SET signature = 'killed' WHERE month = '2025-10-01'"))
            {
                await cmd.ExecuteNonQueryAsync();
            }
            Assert.Equal(facts, (await _q.GetKpisForAsync(october, CancellationToken.None)).RevenuePence);
            Assert.Equal([new DateOnly(2025, 10, 1)], await PeriodRollups.StaleMonthsAsync(_w.Db, CancellationToken.None));
        }
        finally
        {
            Assert.Equal(1, await PeriodRollups.RebuildStaleAsync(_w.Db, CancellationToken.None));
        }
        Assert.Contains(new DateOnly(2025, 10, 1), await _q.CurrentMonthsAsync(CancellationToken.None));
        Assert.Equal(facts, (await _q.GetKpisForAsync(october, CancellationToken.None)).RevenuePence);
    }

    [Fact]
    public async Task An_unpublished_batch_is_hidden_until_published_and_publishing_rebuilds_its_month()
    {
        var (batch, name, sha) = await _w.Db.ScalarRowAsync(
            "SELECT batch_id, file_name, file_sha256 FROM ops.load_batches WHERE status = 'loaded' AND min_sale_date = '2025-11-12'");
        var november = new SalesFilter(new DateOnly(2025, 11, 1), new DateOnly(2025, 11, 30), [], []);
        var all = await RollupFacts.KpisAsync(_w.Db, november.From, november.To, null, null);
        var hidden = await _w.Db.ScalarAsync<long>($"SELECT sum(line_total_pence) FROM marts.fct_sales WHERE batch_id = {batch}");
        await using (var cmd = _w.Db.CreateCommand($"UPDATE ops.load_batches SET published = false WHERE batch_id = {batch}"))
        {
            await cmd.ExecuteNonQueryAsync();
        }
        var published = 0L;
        try
        {
            // Unpublished and not rebuilt: November's month rollups still include the batch, so they must not be read.
            Assert.DoesNotContain(new DateOnly(2025, 11, 1), await _q.CurrentMonthsAsync(CancellationToken.None));
            Assert.Equal(all.Revenue - hidden, (await _q.GetKpisForAsync(november, CancellationToken.None)).RevenuePence);
            await AssertWidgetsAsync(november with { From = new DateOnly(2025, 10, 25) }, TopBy.Units);
        }
        finally
        {
            published = await Publishing.PublishAsync(_w.Db, [new FileIdentity((string)name, (string)sha)], CancellationToken.None);
        }
        Assert.Equal(1, published);
        Assert.Contains(new DateOnly(2025, 11, 1), await _q.CurrentMonthsAsync(CancellationToken.None));
        Assert.Equal(all.Revenue, (await _q.GetKpisForAsync(november, CancellationToken.None)).RevenuePence);
    }

    [Fact]
    public async Task A_forced_reload_replaces_the_batch_in_every_rollup_and_its_months_are_rebuilt()
    {
        var settings = await pg.CreateDatabaseAsync("reload");
        await using var db = pg.Endpoint(settings).CreateDataSource();
        await Retail.Data.Warehouse.WarehouseSchema.ApplyAsync(db, CancellationToken.None);
        using var dir = new TempDir();
        await new StagingWriter(
                SalesGenerator.Create(new GeneratorOptions(8_000, 5, new DateOnly(2025, 1, 25), new DateOnly(2025, 3, 5))),
                dir.Path, false, 2)
            .WriteAsync(null, CancellationToken.None);
        var loader = new WarehouseLoader(db, TimeProvider.System);
        Assert.True((await loader.LoadAsync(WarehouseLoader.ResolveFiles([dir.Path]), new LoadOptions(), null, CancellationToken.None))
            .Succeeded);
        var file = Directory.GetFiles(dir.Path, "*2025-02-14*").Single();
        var old = await db.ScalarAsync<int>(
            "SELECT batch_id FROM ops.load_batches WHERE status = 'loaded' AND min_sale_date = '2025-02-14'");
        var report = await loader.LoadAsync([file], new LoadOptions { Force = true }, null, CancellationToken.None);
        Assert.Equal(1, report.Loaded);

        Assert.Empty(await PeriodRollups.StaleMonthsAsync(db, CancellationToken.None));
        Assert.Empty(await PeriodRollups.StaleAsync(db, RollupGrain.Week, CancellationToken.None));
        foreach (var table in new[] { "agg_sales_hourly", "agg_product_daily", "agg_receipts_daily", "agg_customers_hll_daily" })
        {
            Assert.Equal(0, await db.ScalarAsync<long>($"SELECT count(*) FROM marts.{table} WHERE batch_id = {old}"));
        }
        var q = new SalesQueries(db);
        var february = new SalesFilter(new DateOnly(2025, 2, 1), new DateOnly(2025, 2, 28), [], []);
        Assert.Contains(new DateOnly(2025, 2, 1), await q.CurrentMonthsAsync(CancellationToken.None));
        var e = await RollupFacts.KpisAsync(db, february.From, february.To, null, null);
        var k = await q.GetKpisForAsync(february, CancellationToken.None);
        Assert.Equal((e.Revenue, e.Receipts, e.Lines, e.Gross, e.RefundReceipts),
            (k.RevenuePence, k.Transactions, k.Lines, k.GrossPence, k.RefundReceipts));

        // One definition per rollup: the loader's accumulator and the SQL that re-derives the fine rollups from the facts agree.
        var before = await FineRollupsAsync(db, "2025-02-01");
        await PeriodRollups.RederiveFromFactsAsync(db, new DateOnly(2025, 2, 1), CancellationToken.None);
        Assert.Equal(before, await FineRollupsAsync(db, "2025-02-01"));
        Assert.Equal(k, await q.GetKpisForAsync(february, CancellationToken.None));
    }

    /// <summary>
    /// A month's fine rollup rows, each table as sorted text; sketches as their bytes (the loader builds them, SQL
    /// re-derives them with hll_add_agg).
    /// </summary>
    private static async Task<List<string>> FineRollupsAsync(NpgsqlDataSource db, string month)
    {
        var range = $"sale_date >= '{month}' AND sale_date < '{month}'::date + interval '1 month'";
        var list = new List<string>();
        foreach (var sql in new[]
        {
            $"SELECT string_agg(t::text, ';' ORDER BY t::text) FROM marts.agg_sales_hourly t WHERE {range}",
            $"SELECT string_agg(t::text, ';' ORDER BY t::text) FROM marts.agg_product_daily t WHERE {range}",
            $"SELECT string_agg(t::text, ';' ORDER BY t::text) FROM marts.agg_receipts_daily t WHERE {range}",
            "SELECT string_agg(s, ';' ORDER BY s) FROM (SELECT concat_ws(',', batch_id, sale_date, store_key, category_key, "
                + $"customers::text) AS s FROM marts.agg_customers_hll_daily WHERE {range}) t",
        })
        {
            list.Add(await db.ScalarAsync<string>(sql));
        }
        Assert.All(list, Assert.NotNull);
        return list;
    }
}
