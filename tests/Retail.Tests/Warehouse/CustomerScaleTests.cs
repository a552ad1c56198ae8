using Npgsql;
using Retail.Core.Generation;
using Retail.Data.Loading;
using Retail.Data.Warehouse;
using Retail.Pipeline.Staging;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Warehouse;

/// <summary>The dimension pass writes new members in chunks (CustomerKeys' packing is unit-tested in Retail.UnitTests).</summary>
[Collection(PostgresCollection.Name)]
public sealed class CustomerScaleTests(PostgresFixture pg)
{
    [Fact]
    public async Task The_dimension_pass_writes_new_customers_in_chunks_and_every_fact_finds_its_customer()
    {
        await using var a = await ArrangeAsync("custscale", 20_000, days: 14, writers: 2);
        var (db, dims, files) = (a.Db, a.Dims, a.Files);

        // A tiny chunk size, so the pass flushes many times while two scans run side by side.
        await DimensionPreload.RunAsync(db, dims, files, 2, CancellationToken.None, flushAt: 50, chunkRows: 100);

        var customers = await db.ScalarAsync<long>("SELECT count(*) FROM marts.dim_customer WHERE customer_key <> 0");
        Assert.True(customers > 200, $"only {customers} customers: the test needs many chunks");
        Assert.Equal(customers,
            await db.ScalarAsync<long>("SELECT count(DISTINCT customer_id) FROM marts.dim_customer WHERE customer_key <> 0"));

        var report = await new WarehouseLoader(db, TimeProvider.System).LoadAsync(files, new LoadOptions(), null, CancellationToken.None);
        Assert.True(report.Succeeded);
        Assert.Equal(20_000, report.RowsLoaded);
        // Every customer the facts name was created by the pass (no per-file creation needed), exactly once.
        Assert.Equal(customers, await db.ScalarAsync<long>("SELECT count(*) FROM marts.dim_customer WHERE customer_key <> 0"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales f LEFT JOIN marts.dim_customer c USING "
            + "(customer_key) WHERE c.customer_key IS NULL"));
    }

    [Fact]
    public async Task The_dimension_pass_writes_pending_customers_while_it_reads_a_file_not_only_after_it()
    {
        await using var a = await ArrangeAsync("custchunk", 5_000, days: 1, writers: 1);
        var (db, dims, files) = (a.Db, a.Dims, a.Files);
        Assert.Single(files);

        var preloaded = await DimensionPreload.RunAsync(db, dims, files, 1, CancellationToken.None, flushAt: 50, chunkRows: 100);

        var customers = await db.ScalarAsync<long>("SELECT count(*) FROM marts.dim_customer WHERE customer_key <> 0");
        // One file read whole before a flush would write at most twice (after the file, then at the end).
        Assert.True(preloaded.Flushes > customers / 100, $"{preloaded.Flushes} flushes for {customers} new customers in one file");
        Assert.Equal(5_000, preloaded[files[0]]!.Rows);
        // Each flush taught the cache the keys it stored.
        await using var cmd = db.CreateCommand("SELECT customer_id, customer_key FROM marts.dim_customer WHERE customer_key <> 0");
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            Assert.True(dims.Customer(r.GetString(0), out var key) && key == r.GetInt32(1), $"the cache lacks {r.GetString(0)}");
        }
    }

    /// <summary>A fresh warehouse (schema only), its key cache, and generated staging files from 2025-03-01 on.</summary>
    private async Task<Arranged> ArrangeAsync(string name, int rows, int days, int writers)
    {
        var settings = await pg.CreateDatabaseAsync(name);
        var dir = new TempDir();
        var db = pg.Endpoint(settings).CreateDataSource();
        var from = new DateOnly(2025, 3, 1);
        await new StagingWriter(SalesGenerator.Create(new GeneratorOptions(rows, 5, from, from.AddDays(days - 1), 0)), dir.Path, false,
            writers).WriteAsync(null, CancellationToken.None);
        await WarehouseSchema.ApplyAsync(db, CancellationToken.None);
        return new Arranged(db, dir, await DimensionCache.LoadAsync(db, CancellationToken.None), WarehouseLoader.ResolveFiles([dir.Path]));
    }

    private sealed record Arranged(NpgsqlDataSource Db, TempDir Dir, DimensionCache Dims, IReadOnlyList<string> Files) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Db.DisposeAsync();
            Dir.Dispose();
        }
    }
}
