using Retail.Core.Generation;
using Retail.Data.Quality;
using Retail.Data.Queries;
using Retail.Data.Warehouse;
using Retail.Pipeline.Staging;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Citus;

/// <summary>
/// Rollups re-made on a real Citus coordinator + 2 workers: `retail rollups rebuild --from-facts` (every fine rollup,
/// its all-store rows included, re-derived from the distributed facts) and migration 120's backfill of the all-store
/// rows on a cluster loaded before it each equal what the loader wrote and pass rollups_match_facts.
/// </summary>
[Collection(CitusCollection.Name)]
public sealed class CitusRederiveTests(CitusFixture citus)
{
    private static readonly DateOnly From = new(2025, 1, 1);
    private static readonly DateOnly To = new(2025, 2, 28);
    private static readonly SalesFilter All = new(From, To, [], []);

    /// <summary>A database on the cluster holding two months of generated sales, loaded as `retail load` does.</summary>
    private async Task<Retail.Data.Configuration.DatabaseSettings> LoadedClusterAsync(string name, ulong seed)
    {
        using var dir = new TempDir();
        await new StagingWriter(SalesGenerator.Create(new GeneratorOptions(4_000, seed, From, To)), dir.Path, false, 2)
            .WriteAsync(null, CancellationToken.None);
        var settings = await citus.CreateDatabaseAsync(name);
        await using var db = citus.Endpoint(settings).CreateDataSource();
        Assert.True((await SchemaThenLoad.LoadAsync(db, dir.Path)).Succeeded);
        return settings;
    }

    [CitusFact]
    public async Task Rollups_rebuilt_from_the_facts_on_Citus_equal_the_loaders()
    {
        var settings = await LoadedClusterAsync("rederive", 7);
        await using var db = citus.Endpoint(settings).CreateDataSource();
        var q = new SalesQueries(db);
        var before = await q.GetKpisAsync(All, false, CancellationToken.None);
        var products = await q.GetTopProductsAsync(All, TopBy.Revenue, 10, CancellationToken.None);

        using var home = new TempDir();
        var run = await CliProcess.RunAsync(home.Path, CliProcess.Env(settings), "rollups", "rebuild", "--from-facts");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(db, From, To, CancellationToken.None));
        Assert.Equal(before, await q.GetKpisAsync(All, false, CancellationToken.None));
        Assert.Equal(products, await q.GetTopProductsAsync(All, TopBy.Revenue, 10, CancellationToken.None));
    }

    [CitusFact]
    public async Task Migration_120_backfills_the_all_store_rows_of_a_loaded_cluster()
    {
        var settings = await LoadedClusterAsync("backfill120", 11);
        await using var db = citus.Endpoint(settings).CreateDataSource();
        var q = new SalesQueries(db);
        var before = await q.GetKpisAsync(All, false, CancellationToken.None);
        var products = await q.GetTopProductsAsync(All, TopBy.Units, 10, CancellationToken.None);

        // As a cluster loaded before migration 120: no all-store rows in the rollups it backfills.
        foreach (var table in new[]
                 {
                     "agg_sales_hourly", "agg_product_daily", "agg_receipts_daily", "agg_customers_hll_daily", "agg_month_sales",
                     "agg_month_heat", "agg_month_products", "agg_month_receipts", "agg_month_customers", "agg_week_sales",
                     "agg_week_products", "agg_week_receipts", "agg_week_customers",
                 })
        {
            await using var delete = db.CreateCommand($"DELETE FROM marts.{table} WHERE store_key = 0");
            await delete.ExecuteNonQueryAsync();
        }
        var migration = WarehouseSchema.Scripts.Single(s => s.Version.StartsWith("120_", StringComparison.Ordinal));
        await using (var forget = db.CreateCommand($"DELETE FROM ops.schema_migrations WHERE version = '{migration.Version}'"))
        {
            await forget.ExecuteNonQueryAsync();
        }
        Assert.NotEmpty(await RollupsMatchFacts.FailingDaysAsync(db, From, To, CancellationToken.None));

        Assert.Equal(1, await WarehouseSchema.ApplyAsync(db, CancellationToken.None));
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(db, From, To, CancellationToken.None));
        Assert.Equal(before, await q.GetKpisAsync(All, false, CancellationToken.None));
        Assert.Equal(products, await q.GetTopProductsAsync(All, TopBy.Units, 10, CancellationToken.None));
    }
}
