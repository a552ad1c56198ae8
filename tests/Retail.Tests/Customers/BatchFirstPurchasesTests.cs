using Npgsql;
using Retail.Core.Generation;
using Retail.Data.Loading;
using Retail.Data.Quality;
using Retail.Data.Warehouse;
using Retail.Pipeline.Staging;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Customers;

/// <summary>
/// The loader's own first purchases per file (migration 126): a batch loaded unpublished keeps its set, exactly the
/// facts' earliest line per customer, in ops.batch_first_purchases until it is published; publishing several at once,
/// a batch loaded unpublished before migration 126 (its set back-filled from the facts), and forced reloads of every
/// file side by side all leave the first-purchase tables equal to their re-derivation from the facts.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BatchFirstPurchasesTests(PostgresFixture pg)
{
    private static readonly DateOnly From = new(2025, 1, 6);
    private static readonly DateOnly To = new(2025, 2, 2);

    /// <summary>Each unpublished batch's earliest line per loyalty customer, straight from the facts.</summary>
    private const string SetsFromFacts = """
        SELECT coalesce(string_agg(t::text, ';' ORDER BY t::text), '') FROM (
            SELECT DISTINCT ON (f.batch_id, f.customer_key) f.batch_id, f.customer_key, f.sold_at, f.sale_date, f.store_key
            FROM marts.fct_sales f JOIN ops.load_batches b USING (batch_id)
            WHERE b.status = 'loaded' AND NOT b.published AND f.customer_key <> 0
            ORDER BY f.batch_id, f.customer_key, f.sold_at, f.store_key) t
        """;

    private const string KeptSets = """
        SELECT coalesce(string_agg(t::text, ';' ORDER BY t::text), '') FROM (
            SELECT batch_id, customer_key, first_sold_at, first_date, first_store_key FROM ops.batch_first_purchases) t
        """;

    [Fact]
    public async Task Unpublished_batches_keep_their_sets_until_published_and_every_path_equals_the_facts()
    {
        var settings = await pg.CreateDatabaseAsync("batchfirst");
        await using var db = pg.Endpoint(settings).CreateDataSource();
        await WarehouseSchema.ApplyAsync(db, CancellationToken.None);
        using var dir = new TempDir();
        await new StagingWriter(SalesGenerator.Create(new GeneratorOptions(15_000, 11, From, To)), dir.Path, false, 2)
            .WriteAsync(null, CancellationToken.None);
        var files = WarehouseLoader.ResolveFiles([dir.Path]);
        var loader = new WarehouseLoader(db, TimeProvider.System);

        // The second half first, published; then the first half unpublished, as `retail run` loads before its checks.
        var (early, late) = (files.Take(files.Count / 2).ToList(), files.Skip(files.Count / 2).ToList());
        Assert.True((await loader.LoadAsync(late, new LoadOptions(), null, CancellationToken.None)).Succeeded);
        var afterLate = await NewCustomerFacts.TablesAsync(db);
        Assert.Equal("", await db.ScalarAsync<string>(KeptSets));
        var heldBack = early.Take(3).ToList();
        Assert.True((await loader.LoadAsync(early.Except(heldBack).ToList(), new LoadOptions { Publish = false }, null,
            CancellationToken.None)).Succeeded);
        var sets = await db.ScalarAsync<string>(KeptSets);
        Assert.True(sets.Length > 1000, "the unpublished batches kept no first purchases");
        Assert.Equal(await db.ScalarAsync<string>(SetsFromFacts), sets);
        Assert.Equal(afterLate, await NewCustomerFacts.TablesAsync(db)); // nothing moves before publishing

        // Published together: their customers' first purchases move back, and their sets go.
        Assert.Equal(early.Count - heldBack.Count, await Publishing.PublishAsync(db, await IdentitiesAsync(early), default));
        Assert.Equal("", await db.ScalarAsync<string>(KeptSets));
        await AssertEqualsRederivedAsync(db);

        // A batch loaded unpublished before migration 126 has no kept set: the migration derives it from its facts.
        Assert.True((await loader.LoadAsync(heldBack, new LoadOptions { Publish = false }, null, CancellationToken.None)).Succeeded);
        var expected = await db.ScalarAsync<string>(SetsFromFacts);
        await Exec(db, "DELETE FROM ops.batch_first_purchases");
        await Exec(db, WarehouseSchema.Scripts.Single(s => s.Version == "126_batch_first_purchases").Sql);
        Assert.Equal(expected, await db.ScalarAsync<string>(KeptSets));
        Assert.Equal(heldBack.Count, await Publishing.PublishAsync(db, await IdentitiesAsync(heldBack), default));
        await AssertEqualsRederivedAsync(db);

        // Every file reloaded side by side, some without a customer's lines: forced reloads and publishes interleave.
        var customerIds = await CustomerIdsAsync(db, 3);
        foreach (var f in files.Where((_, i) => i % 4 == 0))
        {
            var lines = await File.ReadAllLinesAsync(f);
            await File.WriteAllLinesAsync(f, lines.Where(l => !customerIds.Any(c => l.Contains($",{c},", StringComparison.Ordinal))));
        }
        var forced = await loader.LoadAsync(files, new LoadOptions { Force = true, Parallelism = 2 }, null, CancellationToken.None);
        Assert.True(forced.Succeeded);
        Assert.Equal(files.Count, forced.Loaded);
        await AssertEqualsRederivedAsync(db);
    }

    /// <summary>The kept tables equal what `rollups rebuild --from-facts` derives, and rollups_match_facts passes.</summary>
    private static async Task AssertEqualsRederivedAsync(NpgsqlDataSource db)
    {
        var kept = await NewCustomerFacts.TablesAsync(db);
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(db, From, To, CancellationToken.None));
        await FirstPurchases.RederiveAsync(db, CancellationToken.None);
        Assert.Equal(await NewCustomerFacts.TablesAsync(db), kept);
    }

    private static async Task<FileIdentity[]> IdentitiesAsync(IEnumerable<string> files)
    {
        var ids = new List<FileIdentity>();
        foreach (var f in files)
        {
            ids.Add(FileIdentity.Of(f, await StagingFile.Sha256Async(f, default)));
        }
        return [.. ids];
    }

    /// <summary>Customers seen on several days, so removing their lines moves first purchases rather than deleting them.</summary>
    private static async Task<List<string>> CustomerIdsAsync(NpgsqlDataSource db, int n)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT c.customer_id FROM marts.dim_customer c JOIN marts.fct_sales f USING (customer_key)
            WHERE c.customer_key <> 0 GROUP BY c.customer_id HAVING count(DISTINCT f.sale_date) >= 3
            ORDER BY min(f.sale_date), c.customer_id LIMIT {n}
            """);
        var ids = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            ids.Add(r.GetString(0));
        }
        Assert.Equal(n, ids.Count);
        return ids;
    }

    private static async Task Exec(NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
