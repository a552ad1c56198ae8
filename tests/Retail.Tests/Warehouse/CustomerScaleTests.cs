using Retail.Core.Generation;
using Retail.Data.Loading;
using Retail.Data.Warehouse;
using Retail.Pipeline.Staging;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Warehouse;

/// <summary>The loader's customer keys stay compact and the dimension pass writes new members in chunks.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CustomerScaleTests(PostgresFixture pg)
{
    [Theory]
    [InlineData("C1", "C01")]
    [InlineData("C1", "1")]
    [InlineData("C1", "D1")]
    [InlineData("123456789012345", "A123456789012345")]
    [InlineData("0", "00")]
    public void Packed_ids_never_collide(string a, string b)
    {
        Assert.True(CustomerKeys.TryPack(a, out var pa));
        Assert.True(CustomerKeys.TryPack(b, out var pb));
        Assert.NotEqual(pa, pb);
    }

    [Theory]
    [InlineData("")]
    [InlineData("c1")]
    [InlineData("C1x")]
    [InlineData("CC1")]
    [InlineData("1234567890123456")]
    [InlineData("C-1")]
    public void Other_ids_are_kept_as_text_and_still_found(string id)
    {
        Assert.False(CustomerKeys.TryPack(id, out _));
        var keys = new CustomerKeys();
        keys.Set(id, 7);
        keys.Set("C" + id.Length, 8);
        Assert.True(keys.TryGet(id, out var k) && k == 7);
        Assert.True(keys.TryGet("C" + id.Length, out var k2) && k2 == 8);
        Assert.False(keys.TryGet("C999999", out _));
    }

    [Fact]
    public async Task The_dimension_pass_writes_new_customers_in_chunks_and_every_fact_finds_its_customer()
    {
        var settings = await pg.CreateDatabaseAsync("custscale");
        await using var db = pg.Endpoint(settings).CreateDataSource();
        using var dir = new TempDir();
        var from = new DateOnly(2025, 3, 1);
        await new StagingWriter(SalesGenerator.Create(new GeneratorOptions(20_000, 5, from, from.AddDays(13), 0)), dir.Path, false, 2).WriteAsync(null, CancellationToken.None);
        await WarehouseSchema.ApplyAsync(db, CancellationToken.None);
        var dims = await DimensionCache.LoadAsync(db, CancellationToken.None);
        var files = WarehouseLoader.ResolveFiles([dir.Path]);

        // A tiny chunk size, so the pass flushes many times while two scans run side by side.
        await DimensionPreload.RunAsync(db, dims, files, 2, CancellationToken.None, flushAt: 50);

        var customers = await db.ScalarAsync<long>("SELECT count(*) FROM marts.dim_customer WHERE customer_key <> 0");
        Assert.True(customers > 200, $"only {customers} customers: the test needs many chunks");
        Assert.Equal(customers, await db.ScalarAsync<long>("SELECT count(DISTINCT customer_id) FROM marts.dim_customer WHERE customer_key <> 0"));

        var report = await new WarehouseLoader(db, TimeProvider.System).LoadAsync(files, new LoadOptions(), null, CancellationToken.None);
        Assert.True(report.Succeeded);
        Assert.Equal(20_000, report.RowsLoaded);
        // Every customer the facts name was created by the pass (no per-file creation needed), exactly once.
        Assert.Equal(customers, await db.ScalarAsync<long>("SELECT count(*) FROM marts.dim_customer WHERE customer_key <> 0"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales f LEFT JOIN marts.dim_customer c USING (customer_key) WHERE c.customer_key IS NULL"));
    }
}
