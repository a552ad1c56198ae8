using Retail.Data.Quality;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Rollups;

/// <summary>
/// The rollups_match_facts check's SQL: passes on a fresh load, names the day and the rollup that drifted, and a
/// warehouse whose fine rollups predate a measure fails until `retail rollups rebuild --from-facts` (a real CLI run).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RollupsMatchFactsTests(PostgresFixture pg)
{
    private static readonly DateOnly From = new(2025, 1, 20);
    private static readonly DateOnly To = new(2025, 3, 10);

    [Fact]
    public async Task Passes_on_a_load_names_what_drifted_and_the_rebuild_command_repairs_old_rollups()
    {
        var w = await LoadedWarehouse.CreateAsync(pg, "rmf", 10_000, From, To);
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None));
        Assert.Equal(0L, await w.Db.ScalarAsync<long>(
            RollupsMatchFacts.CountSql.Replace("$1", "'2025-01-20'::date").Replace("$2", "'2025-03-10'::date")));

        // A fine rollup row off by a penny, and a current month rollup row off by a unit.
        await Exec(w, "UPDATE marts.agg_sales_hourly SET gross_pence = gross_pence + 1 "
            + "WHERE ctid = (SELECT ctid FROM marts.agg_sales_hourly WHERE sale_date = '2025-02-03' AND store_key <> 0 LIMIT 1)");
        await Exec(w, "UPDATE marts.agg_month_sales SET units = units + 1 "
            + "WHERE ctid = (SELECT ctid FROM marts.agg_month_sales WHERE sale_date = '2025-02-20' AND store_key <> 0 LIMIT 1)");
        // The all-store rows are checked on their own: a product row and a week row of all stores, off by a penny.
        await Exec(w, "UPDATE marts.agg_product_daily SET revenue_pence = revenue_pence + 1 "
            + "WHERE ctid = (SELECT ctid FROM marts.agg_product_daily WHERE sale_date = '2025-02-11' AND store_key = 0 LIMIT 1)");
        await Exec(w, "UPDATE marts.agg_week_sales SET revenue_pence = revenue_pence - 1 "
            + "WHERE ctid = (SELECT ctid FROM marts.agg_week_sales WHERE sale_date = '2025-02-25' AND store_key = 0 LIMIT 1)");
        Assert.Equal([(new DateOnly(2025, 2, 3), "agg_sales_hourly"), (new DateOnly(2025, 2, 11), "agg_product_daily (all stores)"),
                (new DateOnly(2025, 2, 20), "agg_month_sales"), (new DateOnly(2025, 2, 25), "agg_week_sales (all stores)")],
            await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None));
        // ... and `retail check` fails on it, naming the day, the rollup and the repair.
        var check = (await new QualityChecks(w.Db, TimeProvider.System)
                .RunAsync(From, To, null, null, includeUnpublished: false, CancellationToken.None))
            .Single(c => c.Name == RollupsMatchFacts.Name);
        Assert.False(check.Passed);
        Assert.Contains("2025-02-03 agg_sales_hourly", check.Observed, StringComparison.Ordinal);
        Assert.Contains("retail rollups rebuild --from-facts", check.Observed, StringComparison.Ordinal);

        // As a warehouse loaded before the measures existed: the migration's defaults (0) and no sketches.
        await Exec(w, "UPDATE marts.agg_sales_hourly SET gross_pence = 0, returns_pence = 0, discount_pence = 0, return_units = 0");
        await Exec(w, "UPDATE marts.agg_receipts_daily SET refund_receipts = 0");
        await Exec(w, "DELETE FROM marts.agg_customers_hll_daily");
        Assert.True((await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None)).Count > 30);

        using var dir = new TempDir();
        var run = await CliProcess.RunAsync(dir.Path, CliProcess.Env(w.Settings), "rollups", "rebuild", "--from-facts");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("rollups: 2025-02 re-derived from the facts and rebuilt (2 of 3)", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("rollups: 3 month(s) rebuilt", run.Stdout, StringComparison.Ordinal);
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None));
        Assert.True(await w.Db.ScalarAsync<long>("SELECT count(*) FROM marts.agg_customers_hll_daily") > 0);
        Assert.True(await w.Db.ScalarAsync<long>("SELECT sum(refund_receipts) FROM marts.agg_receipts_daily") > 0);
    }

    private static async Task Exec(LoadedWarehouse w, string sql)
    {
        await using var cmd = w.Db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
