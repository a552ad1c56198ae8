using Npgsql;
using Retail.Core.Generation;
using Retail.Data.Loading;
using Retail.Data.Quality;
using Retail.Data.Queries;
using Retail.Data.Warehouse;
using Retail.Pipeline.Staging;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Customers;

/// <summary>
/// New customers (issue #12): exact against SQL on the published facts for many filters, and kept exact when an earlier
/// batch arrives late (loaded published, or unpublished and then published), when a forced reload removes a customer's
/// first purchase, when rollups_match_facts meets a corrupted row and when `retail rollups rebuild --from-facts` re-derives.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NewCustomersTests(PostgresFixture pg)
{
    private static readonly DateOnly From = new(2025, 1, 20);
    private static readonly DateOnly To = new(2025, 3, 10);

    [Fact]
    public async Task New_customers_equal_sql_on_the_facts_a_corrupted_row_is_named_and_from_facts_gives_the_loaders_rows()
    {
        var w = await LoadedWarehouse.CreateAsync(pg, "newcust", 20_000, From, To);
        var q = new SalesQueries(w.Db);
        var options = await q.GetFilterOptionsAsync(CancellationToken.None);
        short[] some = [options.Stores[0].Key, options.Stores[3].Key, options.Stores[7].Key];
        var filters = new List<SalesFilter>
        {
            new(From, To, [], []),
            new(new DateOnly(2025, 1, 27), new DateOnly(2025, 2, 19), [], []), // crosses a month, whole weeks and edge days
            new(new DateOnly(2025, 2, 1), new DateOnly(2025, 2, 28), some, []), // a whole month, some stores
            new(new DateOnly(2025, 2, 12), new DateOnly(2025, 2, 12), [], []), // one day
            new(new DateOnly(2025, 2, 12), new DateOnly(2025, 2, 12), [some[0]], []),
            new(new DateOnly(2025, 3, 5), new DateOnly(2025, 3, 1), [], []), // empty range
            new(new DateOnly(2024, 12, 1), new DateOnly(2025, 1, 10), [], []), // before any data
            new(From, new DateOnly(2025, 2, 3), some, [options.Categories[0].Key]), // categories do not apply
        };
        var nonZero = 0;
        foreach (var f in filters)
        {
            var mix = await q.GetCustomerMixAsync(f, CancellationToken.None);
            var stores = f.Stores.Count == 0 ? null : f.Stores.ToArray();
            var expected = await NewCustomerFacts.NewAsync(w.Db, f.From, f.To, stores);
            Assert.True(expected == mix.New, $"{f.From}..{f.To} stores {f.Stores.Count}: new {mix.New}, facts {expected}");
            var customers = await NewCustomerFacts.CustomersAsync(w.Db, f.From, f.To, stores);
            Assert.InRange(mix.Customers, customers * (1 - Kpis.UniqueCustomersErrorBound),
                customers * (1 + Kpis.UniqueCustomersErrorBound));
            Assert.Equal(Math.Max(0, mix.Customers - mix.New), mix.Repeat);
            // The KPI card's estimate for the same filter is shared (no second HLL query) unless a category narrows it.
            var kpi = await q.GetKpisForAsync(f, CancellationToken.None);
            var shared = await q.GetCustomerMixAsync(f, kpi.UniqueCustomers + 1, CancellationToken.None);
            Assert.Equal(f.Categories.Count == 0 ? kpi.UniqueCustomers + 1 : mix.Customers, shared.Customers);
            Assert.Equal(mix.New, shared.New);
            nonZero += expected > 0 ? 1 : 0;
        }
        Assert.True(nonZero >= 5, $"only {nonZero} filters had new customers");
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None));
        var loaded = await NewCustomerFacts.TablesAsync(w.Db);

        // A first purchase moved a day later than the facts say, and a daily count off by one, each named by its day.
        await Exec(w.Db, "UPDATE marts.customer_first_purchase "
            + "SET first_date = first_date + 1, first_sold_at = first_sold_at + interval '1 day' "
            + "WHERE customer_key = (SELECT min(customer_key) FROM marts.customer_first_purchase WHERE first_date = '2025-02-05')");
        await Exec(w.Db, "UPDATE marts.agg_new_customers_daily SET new_customers = new_customers + 1 "
            + "WHERE (first_date, store_key) = (SELECT first_date, min(store_key) FROM marts.agg_new_customers_daily "
            + "WHERE first_date = '2025-02-20' GROUP BY 1)");
        var failing = await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None);
        Assert.Contains((new DateOnly(2025, 2, 5), "customer_first_purchase"), failing);
        Assert.Contains((new DateOnly(2025, 2, 6), "customer_first_purchase"), failing);
        Assert.Contains((new DateOnly(2025, 2, 20), "agg_new_customers_daily"), failing);
        // A one-day check of the day the customer really started names it too.
        Assert.Contains((new DateOnly(2025, 2, 5), "customer_first_purchase"),
            await RollupsMatchFacts.FailingDaysAsync(w.Db, new DateOnly(2025, 2, 5), new DateOnly(2025, 2, 5), CancellationToken.None));

        using var dir = new TempDir();
        var run = await CliProcess.RunAsync(dir.Path, CliProcess.Env(w.Settings), "rollups", "rebuild", "--from-facts");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("rollups: first purchases (new customers) re-derived from the facts", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(loaded, await NewCustomerFacts.TablesAsync(w.Db));
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None));
    }

    [Fact]
    public async Task A_late_earlier_batch_moves_first_purchases_when_published_and_a_forced_reload_corrects_them()
    {
        var settings = await pg.CreateDatabaseAsync("newcust_late");
        await using var db = pg.Endpoint(settings).CreateDataSource();
        await WarehouseSchema.ApplyAsync(db, CancellationToken.None);
        using var dir = new TempDir();
        await new StagingWriter(SalesGenerator.Create(new GeneratorOptions(12_000, 7, From, To)), dir.Path, false, 2)
            .WriteAsync(null, CancellationToken.None);
        var files = WarehouseLoader.ResolveFiles([dir.Path]);
        var late = files.Single(f => f.Contains("2025-01-23", StringComparison.Ordinal));
        var loader = new WarehouseLoader(db, TimeProvider.System);
        Assert.True((await loader.LoadAsync(files.Where(f => f != late).ToList(), new LoadOptions(), null, CancellationToken.None))
            .Succeeded);
        var q = new SalesQueries(db);
        await AssertExactAsync(db, q);
        var before = await NewCustomerFacts.TablesAsync(db);

        // The earlier day arrives late, unpublished: nothing moves until the pipeline publishes it.
        Assert.Equal(1, (await loader.LoadAsync([late], new LoadOptions { Publish = false }, null, CancellationToken.None)).Loaded);
        Assert.Equal(before, await NewCustomerFacts.TablesAsync(db));
        var lateBatch = await db.ScalarAsync<int>("SELECT batch_id FROM ops.load_batches WHERE min_sale_date = '2025-01-23'");
        Assert.Equal(1, await Publishing.PublishAsync(db, [FileIdentity.Of(late, await StagingFile.Sha256Async(late, default))], default));
        var moved = await db.ScalarAsync<long>(
            $"SELECT count(*) FROM marts.customer_first_purchase WHERE first_batch_id = {lateBatch}");
        Assert.True(moved > 20, $"only {moved} customers started on the late day");
        await AssertExactAsync(db, q);

        // A forced reload of the late day without one customer's receipts: their first purchase becomes their next one.
        var (customerId, _, _) = await db.ScalarRowAsync($"""
            SELECT c.customer_id, c.customer_key, 0 FROM marts.customer_first_purchase p
            JOIN marts.dim_customer c USING (customer_key)
            WHERE p.first_batch_id = {lateBatch}
              AND EXISTS (SELECT 1 FROM marts.fct_sales f WHERE f.customer_key = p.customer_key AND f.sale_date > '2025-01-23')
            ORDER BY c.customer_key LIMIT 1
            """);
        var lines = await File.ReadAllLinesAsync(late);
        var kept = lines.Where(l => !l.Contains($",{customerId},", StringComparison.Ordinal)).ToArray();
        Assert.True(kept.Length < lines.Length);
        await File.WriteAllLinesAsync(late, kept);
        Assert.Equal(1, (await loader.LoadAsync([late], new LoadOptions { Force = true }, null, CancellationToken.None)).Loaded);
        var first = await db.ScalarAsync<DateOnly>($"""
            SELECT p.first_date FROM marts.customer_first_purchase p JOIN marts.dim_customer c USING (customer_key)
            WHERE c.customer_id = '{customerId}'
            """);
        Assert.True(first > new DateOnly(2025, 1, 23), $"{customerId} still starts on {first}");
        await AssertExactAsync(db, q);
    }

    /// <summary>New customers equal the facts for a few filters, and the check passes.</summary>
    private static async Task AssertExactAsync(NpgsqlDataSource db, SalesQueries q)
    {
        foreach (var (from, to, stores) in new (DateOnly, DateOnly, short[]?)[]
                 {
                     (From, To, null), (From, new DateOnly(2025, 1, 31), null),
                     (new DateOnly(2025, 1, 23), new DateOnly(2025, 1, 23), null),
                     (new DateOnly(2025, 1, 24), new DateOnly(2025, 2, 9), [1, 2, 3]),
                     (new DateOnly(2025, 1, 20), new DateOnly(2025, 1, 26), [4]),
                 })
        {
            var mix = await q.GetCustomerMixAsync(new SalesFilter(from, to, stores ?? [], []), CancellationToken.None);
            Assert.Equal(await NewCustomerFacts.NewAsync(db, from, to, stores), mix.New);
        }
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(db, From, To, CancellationToken.None));
    }

    private static async Task Exec(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
