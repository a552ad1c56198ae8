using Npgsql;
using Retail.Core.Formats;
using Retail.Core.Generation;
using Retail.Data.Configuration;
using Retail.Data.Loading;
using Retail.Data.Warehouse;
using Retail.Pipeline.Staging;
using Retail.Tests.Infrastructure;
using static Retail.Tests.Infrastructure.WarehouseAssert;

namespace Retail.Tests.Warehouse;

[Collection(PostgresCollection.Name)]
public sealed class LoaderTests(PostgresFixture pg) : IAsyncLifetime
{
    private readonly FreshWarehouses _fresh = new(pg, "load");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fresh.DisposeAsync();

    private static readonly DateOnly From = new(2025, 11, 25);
    private static readonly DateOnly To = new(2025, 12, 8);

    private Task<(NpgsqlDataSource Db, DatabaseSettings Settings)> FreshWarehouse() => _fresh.CreateAsync();

    private static Task<Manifest> Generate(string dir, long rows = 20_000, double dirty = 0, ulong seed = 42) =>
        new StagingWriter(SalesGenerator.Create(new GeneratorOptions(rows, seed, From, To, dirty)), dir, false, 2).WriteAsync(null,
            CancellationToken.None);

    private static Task<LoadReport> Load(NpgsqlDataSource db, string dir, LoadOptions? options = null) =>
        SchemaThenLoad.LoadAsync(db, dir, options);

    [Fact]
    public async Task Schema_applied_twice_changes_nothing()
    {
        var (db, _) = await FreshWarehouse();
        await using var _db = db;
        Assert.Equal(WarehouseSchema.Scripts.Count, await WarehouseSchema.ApplyAsync(db, CancellationToken.None));
        var tables = await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname IN ('marts','ops')");
        var dates = await db.ScalarAsync<long>("SELECT count(*) FROM marts.dim_date");
        Assert.Equal(0, await WarehouseSchema.ApplyAsync(db, CancellationToken.None));
        Assert.Equal(tables, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname IN ('marts','ops')"));
        Assert.Equal(dates, await db.ScalarAsync<long>("SELECT count(*) FROM marts.dim_date"));
        // Every script is re-runnable on its own, too.
        foreach (var (_, sql) in WarehouseSchema.Scripts)
        {
            await using var cmd = db.CreateCommand(sql);
            await cmd.ExecuteNonQueryAsync();
        }
        Assert.True(await db.ScalarAsync<bool>("SELECT is_uk_bank_holiday FROM marts.dim_date WHERE date_key = '2025-12-26'"));
        Assert.Equal(new DateOnly(2024, 12, 27),
            await db.ScalarAsync<DateOnly>("SELECT same_day_last_year FROM marts.dim_date WHERE date_key = '2025-12-26'"));
    }

    [Fact]
    public async Task Round_trip_reconciles_to_the_penny_per_store_per_day_and_rollups_agree()
    {
        using var dir = new TempDir();
        var manifest = await Generate(dir.Path);
        var (db, _) = await FreshWarehouse();
        await using var _db = db;
        var report = await Load(db, dir.Path);
        Assert.True(report.Succeeded);
        Assert.Equal(manifest.Totals.Rows, report.RowsLoaded);
        AssertReconciles(manifest, await FactTotals(db));

        await AssertRollupsMatchFacts(db);
        Assert.Equal(manifest.Totals.Rows, await db.ScalarAsync<long>("SELECT count(*) FROM marts.v_sales_flat"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales f WHERE NOT EXISTS (SELECT 1 FROM "
            + "marts.dim_product p WHERE p.product_key = f.product_key) OR NOT EXISTS (SELECT 1 FROM marts.dim_customer c WHERE "
            + "c.customer_key = f.customer_key)"));
    }

    [Fact]
    public async Task Reloading_is_a_no_op_and_force_replaces_exactly_that_batch()
    {
        using var dir = new TempDir();
        var manifest = await Generate(dir.Path, 5_000);
        var (db, _) = await FreshWarehouse();
        await using var _db = db;
        await Load(db, dir.Path);
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
        Assert.Equal(manifest.Totals.RevenuePence,
            await db.ScalarAsync<long>("SELECT sum(revenue_pence)::bigint FROM marts.agg_sales_hourly WHERE store_key <> 0"));
        Assert.Equal(manifest.Totals.RevenuePence,
            await db.ScalarAsync<long>("SELECT sum(revenue_pence)::bigint FROM marts.agg_sales_hourly WHERE store_key = 0"));
    }

    [Fact]
    public async Task Dirty_files_quarantine_exactly_the_injected_faults_and_still_reconcile()
    {
        using var dir = new TempDir();
        var manifest = await Generate(dir.Path, 20_000, dirty: 0.01);
        var (db, _) = await FreshWarehouse();
        await using var _db = db;
        var report = await Load(db, dir.Path, new LoadOptions { MaxRejectRate = 0.2 });
        Assert.True(report.Succeeded, string.Join("; ", report.Files.Select(f => f.Error)));
        Assert.Equal(manifest.Faults.Count, report.RowsRejected);

        var rejected = new HashSet<(string, long)>();
        await using (var cmd = db.CreateCommand("SELECT b.file_name, r.line_no, r.reason FROM ops.rejected_rows r JOIN ops.load_batches b "
            + "USING (batch_id)"))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                rejected.Add((r.GetString(0), r.GetInt64(1)));
            }
        }
        Assert.Equal(manifest.Faults.Select(f => (f.File, f.Line)).ToHashSet(), rejected);
        AssertReconciles(manifest, await FactTotals(db));
        Assert.Equal(0L,
            await db.ScalarAsync<long>("SELECT count(*) FROM ops.load_batches WHERE rows_read <> rows_loaded + rows_rejected"));
    }

    [Theory]
    [InlineData("9,1,2025-12-01T10:00:00+00:00,HEN,Argos Hendon,Hendon,X1,Thing,Toys,Games,Acme,1,5.00,0.00,5.00,card,in_store,,,",
        "sku 'X1' created")]
    [InlineData("9,1,2025-12-01T10:00:00+00:00,HEN,Argos Hendon,Hendon,X1,Thing,Toys,Games,Acme,2,5.00,0.00,9.99,card,in_store,,,",
        "line_total")]
    [InlineData("9,1,2025-12-01T10:00:00,HEN,Argos Hendon,Hendon,X1,Thing,Toys,Games,Acme,1,5.00,0.00,5.00,card,in_store,,,", "sold_at")]
    [InlineData("9,1,2025-12-01T10:00:00+00:00,ZZZ,Argos Nowhere,Nowhere,X1,Thing,Toys,Games,Acme,1,5.00,0.00,5.00,card,in_store,,,",
        "unknown store_code 'ZZZ'")]
    [InlineData("9,1,2025-12-01T10:00:00+00:00,HEN,Argos Hendon,Hendon,X1,Thing,Toys,Games,Acme,1,-5.00,0.00,-5.00,card,in_store,,,",
        "unit_price")]
    [InlineData("9,1,2025-12-01T10:00:00+00:00,HEN,Argos Hendon,Hendon,X1,Thing,Toys,Games,Acme,1,5.00,0.00,5.00,bitcoin,in_store,,,",
        "payment_method")]
    [InlineData("9,1,2025-12-01T10:00:00+00:00,HEN,Argos Hendon,Hendon,X1,Thing,Cheese,Games,Acme,1,5.00,0.00,5.00,card,in_store,,,",
        "category")]
    [InlineData("9,1,2025-12-01T10:00:00+00:00,HEN,Argos Hendon,Hendon,X1,Thing,Toys,Games,Acme,-1,5.00,0.00,-5.00,card,in_store,,,",
        "return_of")]
    [InlineData("9,1,2025-12-01T10:00:00+00:00,HEN,Argos Hendon,Hendon,X1,Thing,Toys,Games,Acme,1,5.00,0.00,5.00,card,in_store,,",
        "column count")]
    // A discount beyond the integer column's range, consistent with its total: rejected, never wrapped round.
    [InlineData("9,1,2025-12-01T10:00:00+00:00,HEN,Argos "
        + "Hendon,Hendon,X1,Thing,Toys,Games,Acme,1000,100000.00,30000000.00,70000000.00,card,in_store,,,", "discount")]
    [InlineData("9,1,2025-12-01T10:00:00+00:00,HEN,Argos "
        + "Hendon,Hendon,X1,Thing,Toys,Games,Acme,1,123456789012345678.00,0.00,123456789012345678.00,card,in_store,,,", "unit_price")]
    // A NUL in the name of a SKU the warehouse knows (X2, from the good line) is still a bad line.
    [InlineData("9,1,2025-12-01T10:00:00+00:00,HEN,Argos Hendon,Hendon,X2,Oth\0er,Toys,Games,Acme,1,1.00,0.00,1.00,cash,in_store,,,",
        "encoding")]
    public async Task Each_kind_of_bad_row_is_quarantined_with_its_line_and_reason(string badLine, string reason)
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "hand.csv");
        var good = "8,1,2025-12-01T09:00:00+00:00,HEN,Argos "
            + "Hendon,Hendon,X2,Other,Toys,Games,Acme,1,1.00,0.00,1.00,cash,in_store,C9999999,Pat Doe,";
        await File.WriteAllTextAsync(file, $"{SalesCsv.Header}\r\n{good}\r\n{badLine}\r\n");
        var (db, _) = await FreshWarehouse();
        await using var _db = db;
        var report = await Load(db, dir.Path, new LoadOptions { MaxRejectRate = 1 });
        Assert.True(report.Succeeded);
        if (reason.EndsWith("created", StringComparison.Ordinal))
        {
            Assert.Equal(2, report.RowsLoaded);
            Assert.Equal("Thing", await db.ScalarAsync<string>("SELECT product_name FROM marts.dim_product WHERE sku = 'X1'"));
            Assert.Equal("Pat Doe",
                await db.ScalarAsync<string>("SELECT customer_name FROM marts.dim_customer WHERE customer_id = 'C9999999'"));
            return;
        }
        Assert.Equal(1, report.RowsLoaded);
        Assert.Equal(1, report.RowsRejected);
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT line_no FROM ops.rejected_rows"));
        Assert.Contains(reason, await db.ScalarAsync<string>("SELECT reason FROM ops.rejected_rows"));
        // As it was, but for NULs, which PostgreSQL text cannot hold.
        Assert.Equal(badLine.Replace("\0", "", StringComparison.Ordinal),
            await db.ScalarAsync<string>("SELECT raw_line FROM ops.rejected_rows"));
    }

    [Fact]
    public async Task Too_many_rejects_fail_the_whole_file_and_a_line_already_loaded_is_a_duplicate()
    {
        using var dir = new TempDir();
        var (db, _) = await FreshWarehouse();
        await using var _db = db;
        var line = "8,1,2025-12-01T09:00:00+00:00,HEN,Argos Hendon,Hendon,X2,Other,Toys,Games,Acme,1,1.00,0.00,1.00,cash,in_store,,,";
        var bad = "8,2,2025-12-01T09:00:00+00:00,HEN,Argos Hendon,Hendon,X2,Other,Toys,Games,Acme,one,1.00,0.00,1.00,cash,in_store,,,";
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "a.csv"), $"{SalesCsv.Header}\n{line}\n{bad}\n");
        var failed = await Load(db, dir.Path);
        Assert.Equal(1, failed.Failed);
        Assert.Contains("--max-reject-rate", failed.Files[0].Error);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales"));
        Assert.Equal("failed", await db.ScalarAsync<string>("SELECT status FROM ops.load_batches"));
        // The failed file's rejected line is in the quarantine, as its error message says.
        Assert.StartsWith("quantity", await db.ScalarAsync<string>("SELECT r.reason FROM ops.rejected_rows r JOIN ops.load_batches b "
            + "USING (batch_id) WHERE b.status = 'failed' AND r.line_no = 3"));

        await File.WriteAllTextAsync(Path.Combine(dir.Path, "a.csv"), $"{SalesCsv.Header}\n{line}\n");
        Assert.Equal(1, (await Load(db, dir.Path)).Loaded);
        // Another file holding the same receipt line: rejected as a duplicate, not double-counted.
        var again = line.Replace("X2", "X2", StringComparison.Ordinal);
        var third = line.Replace(",1,2025", ",3,2025", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "b.csv"), $"{SalesCsv.Header}\n{again}\n{third}\n");
        var dup = await Load(db, dir.Path, new LoadOptions { MaxRejectRate = 1 });
        Assert.Equal(1, dup.Loaded);
        Assert.Equal(1, dup.RowsRejected);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales"));
        Assert.StartsWith("duplicate", await db.ScalarAsync<string>("SELECT r.reason FROM ops.rejected_rows r JOIN ops.load_batches b "
            + "USING (batch_id) WHERE b.status = 'loaded'"));
    }

    [Fact]
    public async Task Wrong_header_and_empty_files_are_handled()
    {
        using var dir = new TempDir();
        var (db, _) = await FreshWarehouse();
        await using var _db = db;
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "wrong.csv"), "Customer,Store,Category,Price,Date\nA,B,C,1,2025-01-01\n");
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "empty.csv"), "");
        var report = await Load(db, dir.Path);
        var wrong = report.Files.Single(f => f.Path.EndsWith("wrong.csv", StringComparison.Ordinal));
        Assert.Equal(FileOutcome.Failed, wrong.Outcome);
        Assert.Contains("expected the header 'transaction_id,line_no", wrong.Error);
        // A zero-byte file is not a closed day (that has its header): it fails, saying what it is.
        var empty = report.Files.Single(f => f.Path.EndsWith("empty.csv", StringComparison.Ordinal));
        Assert.Equal(FileOutcome.Failed, empty.Outcome);
        Assert.Contains("empty (0 bytes)", empty.Error);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM ops.load_batches WHERE status = 'failed'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales"));
        Assert.Throws<FileNotFoundException>(() => WarehouseLoader.ResolveFiles([Path.Combine(dir.Path, "nope")]));
    }

    [Fact]
    public async Task Closed_days_with_identical_files_are_two_batches_reported_as_closed_days_never_as_already_loaded()
    {
        using var dir = new TempDir();
        var (db, settings) = await FreshWarehouse();
        await using var _db = db;
        // Christmas Day and Easter Sunday: header-only files with the same bytes (and SHA-256), different days.
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "sales_2025-12-25.csv"), SalesCsv.Header + "\r\n");
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "sales_2026-04-05.csv"), SalesCsv.Header + "\r\n");
        var first = await CliProcess.RunAsync(dir.Path, CliProcess.Env(settings), "load", dir.Path);
        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("files: 2 loaded (2 with no sales rows: closed days), 0 skipped (already loaded)", first.Stdout);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM ops.load_batches WHERE status = 'loaded'"));
        var again = await CliProcess.RunAsync(dir.Path, CliProcess.Env(settings), "load", dir.Path);
        Assert.Contains("files: 0 loaded, 2 skipped (already loaded)", again.Stdout);
    }

    [Fact]
    public async Task Two_concurrent_loaders_load_each_file_once()
    {
        using var dir = new TempDir();
        var manifest = await Generate(dir.Path, 10_000);
        var (db, _) = await FreshWarehouse();
        await using var _db = db;
        await WarehouseSchema.ApplyAsync(db, CancellationToken.None);
        var a = Load(db, dir.Path);
        var b = Load(db, dir.Path);
        var reports = await Task.WhenAll(a, b);
        Assert.All(reports, r => Assert.True(r.Succeeded));
        Assert.Equal(manifest.Files.Count, reports.Sum(r => r.Loaded));
        AssertReconciles(manifest, await FactTotals(db));
    }

    [Fact]
    public async Task A_load_killed_mid_file_leaves_whole_batches_and_a_rerun_completes()
    {
        using var dir = new TempDir();
        var manifest = await Generate(dir.Path, 150_000);
        var settings = await pg.CreateDatabaseAsync("kill");
        await using var db = pg.Endpoint(settings).CreateDataSource();
        await WarehouseSchema.ApplyAsync(db, CancellationToken.None);
        foreach (var delayMs in new[] { 700, 1400, 2100 })
        {
            using var p = CliProcess.Start(dir.Path, CliProcess.Env(settings), "load", dir.Path, "--parallel", "2");
            await Task.Delay(delayMs);
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            await AssertWholeBatches(db);
        }
        var rerun = await CliProcess.RunAsync(dir.Path, CliProcess.Env(settings), "load", dir.Path);
        Assert.True(rerun.ExitCode == 0, rerun.All);
        AssertReconciles(manifest, await FactTotals(db));
    }
}
