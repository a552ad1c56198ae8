using Npgsql;
using Retail.Data.Configuration;
using Retail.Data.Embedded;
using Retail.Data.Queries;
using Retail.Data.Warehouse;
using Retail.Pipeline.Runs;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Pipeline;

[Collection(PostgresCollection.Name)]
public sealed class PipelineTests(PostgresFixture pg)
{
    private static readonly DateOnly Day = new(2025, 6, 10);

    private static PipelineRunner Runner(NpgsqlDataSource db, string dir, bool force = false) =>
        new(db,
            new PipelineOptions { RowsPerDay = 2_000, StagingRoot = dir, Force = force, RetryDelay = TimeSpan.FromMilliseconds(300),
            MaxAttempts = 8 }, TimeProvider.System);

    [Fact]
    public async Task A_day_runs_once_and_a_second_run_has_nothing_to_do()
    {
        using var dir = new TempDir();
        var settings = await pg.CreateDatabaseAsync("run");
        await using var db = pg.Endpoint(settings).CreateDataSource();
        await WarehouseSchema.ApplyAsync(db, CancellationToken.None); // as `retail run` does first
        var first = await Runner(db, dir.Path).RunDayAsync(Day, CancellationToken.None);
        Assert.Equal(DayOutcome.Succeeded, first.Outcome);
        Assert.All(first.Checks, c => Assert.True(c.Passed, $"{c.Name}: {c.Observed}"));
        var revenue = await db.ScalarAsync<long>("SELECT sum(line_total_pence) FROM marts.fct_sales");
        var second = await Runner(db, dir.Path).RunDayAsync(Day, CancellationToken.None);
        Assert.Equal(DayOutcome.AlreadyDone, second.Outcome);
        Assert.Equal(revenue, await db.ScalarAsync<long>("SELECT sum(line_total_pence) FROM marts.fct_sales"));
        Assert.Equal(2_000, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales"));
        Assert.Equal(4,
            await db.ScalarAsync<long>($"SELECT count(*) FROM ops.pipeline_steps WHERE run_id = {first.RunId} AND status = 'succeeded'"));
        // Published: the dashboard sees it.
        var q = new SalesQueries(db);
        Assert.Equal(revenue, (await q.GetKpisForAsync(new SalesFilter(Day, Day, [], []), CancellationToken.None)).RevenuePence);

        var forced = await Runner(db, dir.Path, force: true).RunDayAsync(Day, CancellationToken.None);
        Assert.Equal(DayOutcome.Succeeded, forced.Outcome);
        Assert.Equal(revenue, await db.ScalarAsync<long>("SELECT sum(line_total_pence) FROM marts.fct_sales"));
    }

    [Fact]
    public async Task A_backfill_loads_exactly_its_days_and_concurrent_runs_of_a_day_process_it_once()
    {
        using var dir = new TempDir();
        var settings = await pg.CreateDatabaseAsync("backfill");
        await using var db = pg.Endpoint(settings).CreateDataSource();
        await WarehouseSchema.ApplyAsync(db, CancellationToken.None); // as `retail run` does first
        await using var db2 = pg.Endpoint(settings).CreateDataSource();
        var results = await Runner(db, dir.Path).RunRangeAsync(new DateOnly(2025, 3, 3), new DateOnly(2025, 3, 9), null,
            CancellationToken.None);
        Assert.All(results, r => Assert.Equal(DayOutcome.Succeeded, r.Outcome));
        Assert.Equal(7, await db.ScalarAsync<long>("SELECT count(DISTINCT sale_date) FROM marts.fct_sales WHERE sale_date BETWEEN "
            + "'2025-03-03' AND '2025-03-09'"));
        Assert.Equal(0,
            await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales WHERE sale_date NOT BETWEEN '2025-03-03' AND '2025-03-09'"));

        var both = await Task.WhenAll(Runner(db, dir.Path).RunDayAsync(Day, CancellationToken.None),
            Runner(db2, dir.Path).RunDayAsync(Day, CancellationToken.None));
        Assert.Equal([DayOutcome.Succeeded, DayOutcome.AlreadyDone], both.Select(b => b.Outcome).Order());
        Assert.Equal(1, await db.ScalarAsync<long>($"SELECT count(*) FROM ops.pipeline_runs WHERE logical_date = '{Day:yyyy-MM-dd}'"));
    }

    [Fact]
    public async Task A_day_failing_a_check_is_not_published_and_is_retried_next_time()
    {
        using var dir = new TempDir();
        var settings = await pg.CreateDatabaseAsync("gate");
        await using var db = pg.Endpoint(settings).CreateDataSource();
        await WarehouseSchema.ApplyAsync(db, CancellationToken.None);
        await using (var part = db.CreateCommand("CREATE TABLE marts.fct_sales_p2025_06 PARTITION OF marts.fct_sales FOR VALUES FROM "
            + "('2025-06-01') TO ('2025-07-01')"))
        {
            await part.ExecuteNonQueryAsync();
        }
        // A line that the day's file will also contain: the loader rejects the file's copy as a duplicate,
        // so the warehouse no longer reconciles with the manifest.
        var receipt = Retail.Core.Formats.SalesCsv.ReceiptId(Day, 1, 1);
        await using (var seed = db.CreateCommand($"INSERT INTO marts.fct_sales VALUES ('{Day:yyyy-MM-dd}', {receipt}, 1, now(), 1, 1, 0, "
            + $"1, 1, 1, 100, 0, 100, NULL, -1)"))
        {
            await seed.ExecuteNonQueryAsync();
        }
        var result = await Runner(db, dir.Path).RunDayAsync(Day, CancellationToken.None);
        Assert.Equal(DayOutcome.Failed, result.Outcome);
        Assert.Contains("reconciliation", result.Error);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.load_batches WHERE published AND status = 'loaded'"));
        Assert.Equal(0,
            (await new SalesQueries(db).GetKpisForAsync(new SalesFilter(Day, Day, [], []), CancellationToken.None)).RevenuePence);
        Assert.Equal(1,
            await db.ScalarAsync<long>("SELECT count(*) FROM ops.check_results WHERE check_name = 'reconciliation' AND NOT passed"));

        // Fix the cause; re-running the failed day retries it and publishes.
        await using (var fix = db.CreateCommand("DELETE FROM marts.fct_sales WHERE batch_id = -1"))
        {
            await fix.ExecuteNonQueryAsync();
        }
        var retry = await Runner(db, dir.Path, force: true).RunDayAsync(Day, CancellationToken.None);
        Assert.True(retry.Outcome == DayOutcome.Succeeded, retry.Error);
        Assert.Equal(2_000, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales"));
    }

    [Fact]
    public async Task A_run_survives_the_server_restarting_mid_run()
    {
        using var dir = new TempDir();
        var home = Path.Combine("/tmp", $"retail-test-{Guid.NewGuid():N}"[..24]);
        var settings = new DatabaseSettings { RetailHome = home, Name = "retail" };
        var cluster = new EmbeddedCluster(settings, new Dictionary<string, string> { ["fsync"] = "off" });
        try
        {
            var port = await cluster.StartAsync(CancellationToken.None);
            var endpoint = new WarehouseEndpoint(settings, EmbeddedCluster.Host, port);
            await using var db = endpoint.CreateDataSource();
            // As `retail run` does before its runner starts.
            await WarehouseSchema.ApplyAsync(db, CancellationToken.None);
            var runner = new PipelineRunner(db,
                new PipelineOptions { RowsPerDay = 60_000, StagingRoot = dir.Path, RetryDelay = TimeSpan.FromMilliseconds(500),
                MaxAttempts = 10 }, TimeProvider.System);
            var run = runner.RunDayAsync(Day, CancellationToken.None);
            await Task.Delay(1200);
            await cluster.StopAsync(CancellationToken.None);
            await Task.Delay(1500);
            await cluster.StartAsync(CancellationToken.None);
            var result = await run;
            Assert.True(result.Outcome == DayOutcome.Succeeded, result.Error);
            // A fresh pool: the runner's may still hold connections from before the restart.
            await using var check = endpoint.CreateDataSource();
            Assert.Equal(60_000, await check.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales"));
        }
        finally
        {
            await cluster.StopAsync(CancellationToken.None);
            Directory.Delete(home, recursive: true);
        }
    }
}
