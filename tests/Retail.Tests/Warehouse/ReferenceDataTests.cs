using Npgsql;
using Retail.Core.Catalogue;
using Retail.Core.Formats;
using Retail.Core.Generation;
using Retail.Core.Reference;
using Retail.Data.Loading;
using Retail.Data.Warehouse;
using Retail.Pipeline.Staging;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Warehouse;

/// <summary>The reference seed reaches the dimensions on every schema apply, by natural key, with the seed's keys.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReferenceDataTests(PostgresFixture pg)
{
    private async Task<NpgsqlDataSource> FreshWarehouse() => pg.Endpoint(await pg.CreateDatabaseAsync("seed")).CreateDataSource();

    private static Task<int> Apply(NpgsqlDataSource db, ReferenceSeed seed) =>
        WarehouseSchema.ApplyAsync(db, new SchemaOptions { Seed = seed }, CancellationToken.None);

    private static async Task<List<(short Key, string Natural)>> Members(NpgsqlDataSource db, string sql)
    {
        var list = new List<(short, string)>();
        await using var cmd = db.CreateCommand(sql);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            list.Add((r.GetInt16(0), r.GetString(1)));
        }
        return list;
    }

    private static Task<List<(short Key, string Natural)>> Stores(NpgsqlDataSource db) =>
        Members(db, "SELECT store_key, store_code || '|' || store_name FROM marts.dim_store ORDER BY 1");

    [Fact]
    public async Task An_existing_warehouse_gets_a_new_and_a_renamed_store_without_a_migration()
    {
        await using var db = await FreshWarehouse();
        Assert.True(await Apply(db, ReferenceSeed.Chain) > 0);

        var stores = ReferenceSeed.Chain.Stores
            .Select(s => s.Code == "HEN" ? s with { Name = "Argos Hendon Central" } : s)
            .Append(new StoreSeed(17, "MUS", "Argos Muswell Hill", "Muswell Hill", "N10 3TD", "Local", new DateOnly(2027, 3, 1)))
            .ToList();
        var next = ReferenceSeed.Chain with { Version = ReferenceSeed.Chain.Version + 1, Stores = stores };
        Assert.Equal(0, await Apply(db, next)); // no migration ran: the upsert happens on every apply

        Assert.Equal(stores.Select(s => (s.Key, $"{s.Code}|{s.Name}")), await Stores(db));
        Assert.Equal(new DateOnly(2027, 3, 1),
            await db.ScalarAsync<DateOnly>("SELECT opened_on FROM marts.dim_store WHERE store_code = 'MUS'"));
        Assert.Equal(
            $"{ReferenceSeed.Chain.Version},{next.Version}",
            await db.ScalarAsync<string>("SELECT string_agg(version::text, ',' ORDER BY version) FROM ops.reference_seeds"));

        // A build with the older seed leaves the newer seed's data alone (no flip-flopping between versions).
        await Apply(db, ReferenceSeed.Chain);
        Assert.Equal(stores.Select(s => (s.Key, $"{s.Code}|{s.Name}")), await Stores(db));
    }

    [Fact]
    public async Task The_dimensions_carry_the_seeds_keys()
    {
        await using var db = await FreshWarehouse();
        await Apply(db, ReferenceSeed.Chain);
        var seed = ReferenceSeed.Chain;
        Assert.Equal(seed.Stores.Select(s => (s.Key, $"{s.Code}|{s.Name}")).Order(), await Stores(db));
        Assert.Equal(
            seed.Categories.Select(c => (c.Key, c.Name)).Order(),
            await Members(db, "SELECT category_key, category_name FROM marts.dim_category ORDER BY 1, 2"));
        Assert.Equal(
            seed.PaymentMethods.Select(p => (p.Key, p.Name)).Order(),
            await Members(db, "SELECT payment_key, payment_method FROM marts.dim_payment_method ORDER BY 1, 2"));
        Assert.Equal(
            seed.Channels.Select(c => (c.Key, c.Name)).Order(),
            await Members(db, "SELECT channel_key, channel FROM marts.dim_channel ORDER BY 1, 2"));
    }

    [Fact]
    public async Task A_seed_that_would_move_a_key_is_refused_with_one_line_and_changes_nothing()
    {
        await using var db = await FreshWarehouse();
        await Apply(db, ReferenceSeed.Chain);
        var moved = ReferenceSeed.Chain with
        {
            Version = ReferenceSeed.Chain.Version + 1,
            Stores = [.. ReferenceSeed.Chain.Stores.Select(s => s.Code == "BAR" ? s with { Key = 40 } : s)],
            Categories = [.. ReferenceSeed.Chain.Categories, new LookupSeed(11, "Garden Furniture")],
        };

        var e = await Assert.ThrowsAsync<ReferenceSeedException>(() => Apply(db, moved));
        Assert.Equal(
            $"reference seed v{moved.Version} disagrees with the warehouse: store 'BAR' has key 40 in the seed but 3 in the warehouse. "
            + "Keys never change once loaded: give the member its warehouse key (or a new natural key a new key) in ReferenceSeed, "
            + "then run again.",
            e.Message);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM marts.dim_category WHERE category_key = 11"));
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM ops.reference_seeds"));
    }

    [Fact]
    public async Task Generator_and_warehouse_agree_on_every_member_and_key()
    {
        await using var db = await FreshWarehouse();
        await WarehouseSchema.ApplyAsync(db, CancellationToken.None);

        // Every member the generator can emit is in the warehouse under the key the generator itself uses.
        var stores = await Members(db, "SELECT store_key, store_code FROM marts.dim_store");
        Assert.All(StoreCatalogue.All, s => Assert.Contains((s.Key, s.Code), stores));
        var categories = await Members(db, "SELECT category_key, category_name FROM marts.dim_category");
        Assert.All(ProductCatalogue.Categories, c => Assert.Contains((c.Key, c.Name), categories));
        var payments = (await Members(db, "SELECT payment_key, payment_method FROM marts.dim_payment_method")).Select(p => p.Natural);
        Assert.Subset(payments.ToHashSet(), SalesCsv.PaymentMethods.ToHashSet());
        var channels = (await Members(db, "SELECT channel_key, channel FROM marts.dim_channel")).Select(c => c.Natural);
        Assert.Subset(channels.ToHashSet(), SalesCsv.Channels.ToHashSet());

        // And what it does emit loads without a reject, with the store key its receipt ids encode.
        using var dir = new TempDir();
        var from = new DateOnly(2026, 5, 14);
        var generator = SalesGenerator.Create(new GeneratorOptions(6_000, 11, from, from.AddDays(3)));
        await new StagingWriter(generator, dir.Path, false, 1).WriteAsync(null, CancellationToken.None);
        var report = await new WarehouseLoader(db, TimeProvider.System)
            .LoadAsync(WarehouseLoader.ResolveFiles([dir.Path]), new LoadOptions(), null, CancellationToken.None);
        Assert.True(report.Succeeded);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM ops.rejected_rows"));
        Assert.Equal(6_000, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales"));
        Assert.Equal(0, await db.ScalarAsync<long>(
            "SELECT count(*) FROM marts.fct_sales WHERE (transaction_id / 1000000) % 100 <> store_key"));
        // The SKU's category prefix is the seed's category key.
        Assert.Equal(0, await db.ScalarAsync<long>(
            "SELECT count(*) FROM marts.dim_product WHERE split_part(sku, '/', 1)::int / 100 <> category_key"));
    }
}
