using Npgsql;
using Retail.Core.Formats;
using Retail.Core.Generation;
using Retail.Data.Configuration;
using Retail.Data.Loading;
using Retail.Data.Warehouse;
using Retail.Pipeline.Staging;
using Retail.Tests.Infrastructure;
using static Retail.Tests.Infrastructure.WarehouseAssert;

namespace Retail.Tests.Citus;

/// <summary>Every promise of a load, kept on a real Citus coordinator + 2 workers (and compared with one node).</summary>
[Collection(CitusCollection.Name)]
public sealed class CitusLoadTests(CitusFixture citus, PostgresFixture pg)
{
    private static readonly DateOnly From = new(2025, 11, 25);
    private static readonly DateOnly To = new(2025, 12, 8);

    private async Task<(NpgsqlDataSource Db, DatabaseSettings Settings)> FreshCitus(string prefix = "cload")
    {
        var settings = await citus.CreateDatabaseAsync(prefix);
        return (citus.Endpoint(settings).CreateDataSource(), settings);
    }

    private static Task<Manifest> Generate(string dir, long rows, DateOnly from, DateOnly to, double dirty = 0) =>
        new StagingWriter(SalesGenerator.Create(new GeneratorOptions(rows, 42, from, to, dirty)), dir, false, 2).WriteAsync(null,
            CancellationToken.None);

    private static Task<LoadReport> Load(NpgsqlDataSource db, string dir, LoadOptions? options = null) =>
        SchemaThenLoad.LoadAsync(db, dir, options);

    [CitusFact]
    public async Task A_year_round_trips_to_the_penny_and_equals_a_single_node_load_of_the_same_files()
    {
        using var dir = new TempDir();
        var manifest = await Generate(dir.Path, 12_000, new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31));
        var (db, _) = await FreshCitus("year");
        await using var _db = db;
        var report = await Load(db, dir.Path);
        Assert.True(report.Succeeded, string.Join("; ", report.Files.Select(f => f.Error)));
        Assert.Equal(manifest.Totals.Rows, report.RowsLoaded);
        var citusTotals = await FactTotals(db);
        AssertReconciles(manifest, citusTotals);
        await AssertRollupsMatchFacts(db);
        Assert.Equal(manifest.Totals.Rows, await db.ScalarAsync<long>("SELECT count(*) FROM marts.v_sales_flat"));
        // The rows are on the workers: every worker holds part of the facts.
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(DISTINCT nodeport) FROM citus_shards WHERE citus_table_type = "
            + "'distributed' AND shard_size > 16384 AND table_name::text LIKE 'marts.fct_sales_p2025_%'"));

        var single = pg.Endpoint(await pg.CreateDatabaseAsync("year1"));
        await using var one = single.CreateDataSource();
        Assert.True((await Load(one, dir.Path)).Succeeded);
        Assert.Equal(await FactTotals(one), citusTotals);
        foreach (var sql in new[]
        {
            "SELECT count(*) FROM marts.dim_product", "SELECT count(*) FROM marts.dim_customer",
            "SELECT sum(revenue_pence)::bigint FROM marts.agg_sales_hourly WHERE store_key = 0",
            "SELECT sum(revenue_pence)::bigint FROM marts.agg_sales_hourly", "SELECT sum(units)::bigint FROM marts.agg_product_daily",
            "SELECT sum(receipts)::bigint FROM marts.agg_receipts_daily", "SELECT count(*) FROM marts.agg_customers_hll_daily",
            "SELECT sum(rows_loaded)::bigint FROM ops.load_batches WHERE status = 'loaded'",
        })
        {
            Assert.Equal(await one.ScalarAsync<long>(sql), await db.ScalarAsync<long>(sql));
        }
    }

    [CitusFact]
    public async Task Reloading_is_a_no_op_force_replaces_exactly_one_batch_and_lines_already_loaded_are_quarantined_as_duplicates()
    {
        using var dir = new TempDir();
        var manifest = await Generate(dir.Path, 5_000, From, To);
        var (db, _) = await FreshCitus();
        await using var _db = db;
        Assert.True((await Load(db, dir.Path)).Succeeded);
        var again = await Load(db, dir.Path);
        Assert.Equal(0, again.Loaded);
        Assert.Equal(manifest.Files.Count, again.Skipped);
        AssertReconciles(manifest, await FactTotals(db));

        var one = Path.Combine(dir.Path, "sales_2025-12-01.csv");
        var forced = await new WarehouseLoader(db, TimeProvider.System).LoadAsync([one], new LoadOptions { Force = true }, null,
            CancellationToken.None);
        Assert.Equal(1, forced.Loaded);
        AssertReconciles(manifest, await FactTotals(db));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM ops.load_batches WHERE status = 'replaced'"));
        await AssertRollupsMatchFacts(db);

        // A new file holding three lines already loaded and two new ones: through Citus a duplicate key in COPY
        // is XX000 without a table name; the three are quarantined with their line and reason, the two load.
        using var dup = new TempDir();
        var lines = File.ReadLines(one).Skip(1).Take(3).ToList();
        var fresh = lines.Take(2).Select(l => "9" + l[1..]).ToList();
        await File.WriteAllLinesAsync(Path.Combine(dup.Path, "late.csv"), [SalesCsv.Header, .. lines, .. fresh]);
        var report = await Load(db, dup.Path, new LoadOptions { MaxRejectRate = 1 });
        Assert.True(report.Succeeded, string.Join("; ", report.Files.Select(f => f.Error)));
        Assert.Equal((1, 2L, 3L), (report.Loaded, report.RowsLoaded, report.RowsRejected));
        var rejected = await Rejected(db);
        Assert.Equal([2L, 3L, 4L], rejected.Where(r => r.Key.File == "late.csv").Select(r => r.Key.Line).Order());
        Assert.All(rejected.Values, reason => Assert.Contains("is already in the warehouse", reason));
        Assert.Equal(manifest.Totals.Rows + 2, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales"));
        await AssertWholeBatches(db);
    }

    [CitusFact]
    public async Task Dirty_generator_output_quarantines_exactly_the_manifests_faults()
    {
        using var dir = new TempDir();
        var manifest = await Generate(dir.Path, 10_000, From, To, dirty: 0.01);
        var (db, _) = await FreshCitus();
        await using var _db = db;
        var report = await Load(db, dir.Path, new LoadOptions { MaxRejectRate = 0.2 });
        Assert.True(report.Succeeded, string.Join("; ", report.Files.Select(f => f.Error)));
        Assert.Equal(manifest.Faults.Count, report.RowsRejected);
        Assert.Equal(manifest.Faults.Select(f => (f.File, f.Line)).ToHashSet(), (await Rejected(db)).Keys.ToHashSet());
        AssertReconciles(manifest, await FactTotals(db));
        Assert.Equal(0L,
            await db.ScalarAsync<long>("SELECT count(*) FROM ops.load_batches WHERE rows_read <> rows_loaded + rows_rejected"));
    }

    [CitusFact]
    public async Task Two_concurrent_loaders_load_each_file_once()
    {
        using var dir = new TempDir();
        var manifest = await Generate(dir.Path, 6_000, From, To);
        var (db, _) = await FreshCitus();
        await using var _db = db;
        await WarehouseSchema.ApplyAsync(db, CancellationToken.None);
        var reports = await Task.WhenAll(Load(db, dir.Path), Load(db, dir.Path));
        Assert.All(reports, r => Assert.True(r.Succeeded, string.Join("; ", r.Files.Select(f => f.Error))));
        Assert.Equal(manifest.Files.Count(f => f.Rows > 0) + Math.Min(1, manifest.Files.Count(f => f.Rows == 0)),
            reports.Sum(r => r.Loaded));
        AssertReconciles(manifest, await FactTotals(db));
    }

    [CitusFact]
    public async Task A_real_load_killed_with_sigkill_at_several_points_leaves_whole_batches_and_a_rerun_is_exact()
    {
        using var dir = new TempDir();
        var manifest = await Generate(dir.Path, 60_000, From, To);
        var (db, settings) = await FreshCitus("ckill");
        await using var _db = db;
        await WarehouseSchema.ApplyAsync(db, CancellationToken.None);
        foreach (var delayMs in new[] { 1200, 2000, 2800 })
        {
            using var p = CliProcess.Start(dir.Path, CliProcess.Env(settings), "load", dir.Path, "--parallel", "2");
            await Task.Delay(delayMs);
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            await AssertWholeBatches(db);
        }
        // The kills interrupted the load (not a finished one).
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM ops.load_batches WHERE status = 'loaded'") < manifest.Files.Count);
        var rerun = await CliProcess.RunAsync(dir.Path, CliProcess.Env(settings), "load", dir.Path);
        Assert.True(rerun.ExitCode == 0, rerun.All);
        AssertReconciles(manifest, await FactTotals(db));
        await AssertRollupsMatchFacts(db);
        await AssertWholeBatches(db);
    }
}
