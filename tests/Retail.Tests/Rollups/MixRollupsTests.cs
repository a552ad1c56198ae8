using Retail.Core.Generation;
using Retail.Data.Loading;
using Retail.Data.Quality;
using Retail.Data.Queries;
using Retail.Data.Rollups;
using Retail.Pipeline.Staging;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Rollups;

/// <summary>
/// The channel and payment mix rollups (issue #12): rollups_match_facts names a mix row that moved to another channel
/// or payment method, or whose loyalty part changed (day totals unchanged), in the fine, week and month layers, store
/// rows and all-store rows (store_key 0) on their own, and `retail rollups rebuild --from-facts` (a real CLI run)
/// re-derives exactly the rows the loader wrote, all-store rows included.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MixRollupsTests(PostgresFixture pg)
{
    private static readonly DateOnly From = new(2025, 1, 20);
    private static readonly DateOnly To = new(2025, 3, 10);

    private const string FineRows = """
        SELECT string_agg(concat_ws(',', batch_id, sale_date, store_key, category_key, channel_key, payment_key, lines, revenue_pence,
                                    gross_pence, loyalty_lines, loyalty_revenue_pence, loyalty_gross_pence), ';'
                          ORDER BY batch_id, sale_date, store_key, category_key, channel_key, payment_key)
        FROM marts.agg_mix_daily
        """;

    private const string ReceiptRows = """
        SELECT string_agg(concat_ws(',', batch_id, sale_date, store_key, channel_key, payment_key, category_mask, receipts,
                                    refund_receipts, loyalty_receipts, loyalty_refund_receipts), ';'
                          ORDER BY batch_id, sale_date, store_key, channel_key, payment_key, category_mask)
        FROM marts.agg_mix_receipts_daily
        """;

    [Fact]
    public async Task The_check_names_a_moved_mix_row_in_every_layer_and_the_rederive_gives_the_loaders_rows()
    {
        var w = await LoadedWarehouse.CreateAsync(pg, "mixr", 10_000, From, To);
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None));
        var loaderFine = await w.Db.ScalarAsync<string>(FineRows);
        var loaderReceipts = await w.Db.ScalarAsync<string>(ReceiptRows);
        Assert.True(await w.Db.ScalarAsync<long>("SELECT count(DISTINCT channel_key) FROM marts.agg_mix_daily WHERE store_key = 0") >= 3);
        Assert.True(await w.Db.ScalarAsync<long>("SELECT count(*) FROM marts.agg_mix_receipts_daily WHERE store_key = 0") > 0);
        var q = new SalesQueries(w.Db);
        var filter = new SalesFilter(From, To, [], []);
        var mix = await q.GetMixAsync(filter, CancellationToken.None);

        // Rows moved to another channel or payment method: every day total stays the same, the split does not. Store rows...
        await Exec(w, "UPDATE marts.agg_mix_daily SET channel_key = 4 - channel_key WHERE ctid = (SELECT ctid FROM marts.agg_mix_daily "
            + "WHERE sale_date = '2025-01-22' AND channel_key <> 2 AND store_key <> 0 LIMIT 1)");
        await Exec(w, "UPDATE marts.agg_mix_receipts_daily SET payment_key = CASE payment_key WHEN 1 THEN 2 ELSE 1 END "
            + "WHERE ctid = (SELECT ctid FROM marts.agg_mix_receipts_daily WHERE sale_date = '2025-03-04' AND store_key <> 0 LIMIT 1)");
        await Exec(w, "UPDATE marts.agg_month_mix SET channel_key = 4 - channel_key WHERE ctid = (SELECT ctid FROM marts.agg_month_mix "
            + "WHERE month = '2025-02-01' AND channel_key <> 2 AND store_key <> 0 LIMIT 1)");
        await Exec(w, "UPDATE marts.agg_week_mix_receipts SET receipts = receipts + 1 "
            + "WHERE ctid = (SELECT ctid FROM marts.agg_week_mix_receipts WHERE week = '2025-02-10' AND store_key <> 0 LIMIT 1)");
        // ... and all-store rows, each checked on its own.
        await Exec(w, "UPDATE marts.agg_mix_daily SET revenue_pence = revenue_pence + 1 "
            + "WHERE ctid = (SELECT ctid FROM marts.agg_mix_daily WHERE sale_date = '2025-02-05' AND store_key = 0 LIMIT 1)");
        // (A total row, marts/128: what the mix reads without a category filter, so the change shows below.)
        await Exec(w, "UPDATE marts.agg_mix_receipts_daily SET receipts = receipts - 1 WHERE ctid = (SELECT ctid "
            + "FROM marts.agg_mix_receipts_daily WHERE sale_date = '2025-01-30' AND store_key = 0 AND category_mask = 0 LIMIT 1)");
        await Exec(w, "UPDATE marts.agg_month_mix_receipts SET payment_key = CASE payment_key WHEN 1 THEN 2 ELSE 1 END "
            + "WHERE ctid = (SELECT ctid FROM marts.agg_month_mix_receipts WHERE month = '2025-02-01' AND store_key = 0 LIMIT 1)");
        await Exec(w, "UPDATE marts.agg_week_mix SET channel_key = 4 - channel_key WHERE ctid = (SELECT ctid FROM marts.agg_week_mix "
            + "WHERE week = '2025-01-27' AND channel_key <> 2 AND store_key = 0 LIMIT 1)");
        // The loyalty parts (marts/127) are checked too: a card moved to or from a line or receipt changes no other figure.
        await Exec(w, "UPDATE marts.agg_week_mix SET loyalty_gross_pence = loyalty_gross_pence + 1 "
            + "WHERE ctid = (SELECT ctid FROM marts.agg_week_mix WHERE week = '2025-02-17' AND store_key <> 0 LIMIT 1)");
        await Exec(w, "UPDATE marts.agg_mix_receipts_daily SET loyalty_receipts = loyalty_receipts + 1 "
            + "WHERE ctid = (SELECT ctid FROM marts.agg_mix_receipts_daily WHERE sale_date = '2025-02-19' AND store_key = 0 LIMIT 1)");
        // A receipts' total row (category_mask 0, marts/128) is held to the rows it sums.
        await Exec(w, "UPDATE marts.agg_week_mix_receipts SET refund_receipts = refund_receipts + 1 WHERE ctid = (SELECT ctid "
            + "FROM marts.agg_week_mix_receipts WHERE week = '2025-02-24' AND store_key <> 0 AND category_mask = 0 LIMIT 1)");
        Assert.Equal(
            [
                (new DateOnly(2025, 1, 22), "agg_mix_daily"), (new DateOnly(2025, 1, 27), "agg_week_mix (all stores)"),
                (new DateOnly(2025, 1, 30), "agg_mix_daily (all stores)"), (new DateOnly(2025, 2, 1), "agg_month_mix"),
                (new DateOnly(2025, 2, 1), "agg_month_mix (all stores)"), (new DateOnly(2025, 2, 5), "agg_mix_daily (all stores)"),
                (new DateOnly(2025, 2, 10), "agg_week_mix"), (new DateOnly(2025, 2, 17), "agg_week_mix"),
                (new DateOnly(2025, 2, 19), "agg_mix_daily (all stores)"), (new DateOnly(2025, 2, 24), "agg_week_mix"),
                (new DateOnly(2025, 3, 4), "agg_mix_daily"),
            ],
            await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None));
        Assert.NotEqual(mix.Channels, (await q.GetMixAsync(filter, CancellationToken.None)).Channels);

        // As a warehouse loaded before the mix existed: no mix rows at all.
        await Exec(w, "DELETE FROM marts.agg_mix_daily", rows: null);
        await Exec(w, "DELETE FROM marts.agg_mix_receipts_daily", rows: null);
        using var dir = new TempDir();
        var run = await CliProcess.RunAsync(dir.Path, CliProcess.Env(w.Settings), "rollups", "rebuild", "--from-facts");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None));
        Assert.Equal(loaderFine, await w.Db.ScalarAsync<string>(FineRows));
        Assert.Equal(loaderReceipts, await w.Db.ScalarAsync<string>(ReceiptRows));
        var rebuilt = await q.GetMixAsync(filter, CancellationToken.None);
        Assert.Equal(mix.Channels, rebuilt.Channels);
        Assert.Equal(mix.Payments, rebuilt.Payments);
        Assert.Equal(mix.Loyalty, rebuilt.Loyalty);
    }

    [Fact]
    public async Task A_forced_reload_replaces_the_batchs_mix_rows_instead_of_adding_to_them()
    {
        using var dir = new TempDir();
        var manifest = await new StagingWriter(SalesGenerator.Create(new GeneratorOptions(3_000, 42, From, From.AddDays(6))), dir.Path,
            false, 2).WriteAsync(null, CancellationToken.None);
        await using var db = pg.Endpoint(await pg.CreateDatabaseAsync("mixforce")).CreateDataSource();
        Assert.True((await SchemaThenLoad.LoadAsync(db, dir.Path)).Succeeded);
        var forced = await new WarehouseLoader(db, TimeProvider.System).LoadAsync(
            [Path.Combine(dir.Path, $"sales_{From.AddDays(2):yyyy-MM-dd}.csv")], new LoadOptions { Force = true }, null,
            CancellationToken.None);
        Assert.Equal(1, forced.Loaded);
        // Every row in the tables, not only published batches': the replaced batch's rows are gone, all-store rows too.
        foreach (var rows in new[] { "store_key <> 0", "store_key = 0" })
        {
            Assert.Equal(manifest.Totals.RevenuePence,
                await db.ScalarAsync<long>($"SELECT sum(revenue_pence)::bigint FROM marts.agg_mix_daily WHERE {rows}"));
            foreach (var masks in new[] { "category_mask <> 0", "category_mask = 0" })
            {
                Assert.Equal(await db.ScalarAsync<long>("SELECT count(DISTINCT transaction_id) FROM marts.fct_sales"),
                    await db.ScalarAsync<long>($"SELECT sum(receipts)::bigint FROM marts.agg_mix_receipts_daily WHERE {rows} AND {masks}"));
            }
        }
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(db, From, From.AddDays(6), CancellationToken.None));
    }

    [Fact]
    public async Task A_receipt_with_a_card_on_some_lines_is_a_loyalty_receipt_whose_other_lines_are_not_loyalty_sales()
    {
        using var dir = new TempDir();
        await new StagingWriter(SalesGenerator.Create(new GeneratorOptions(3_000, 42, From, From.AddDays(6))), dir.Path, false, 2)
            .WriteAsync(null, CancellationToken.None);
        // Tills give a receipt one customer; a hand-edited file need not. The card comes off every line but the first.
        File.Delete(Path.Combine(dir.Path, "manifest.json"));
        var file = Path.Combine(dir.Path, $"sales_{From.AddDays(2):yyyy-MM-dd}.csv");
        var card = new System.Text.RegularExpressions.Regex(",C[0-9]+,[^,]*,([^,]*)$");
        var lines = await File.ReadAllLinesAsync(file);
        await File.WriteAllLinesAsync(file, lines.Select((l, i) => i > 0 && l.Split(',')[1] != "1" ? card.Replace(l, ",,,$1") : l));
        await using var db = pg.Endpoint(await pg.CreateDatabaseAsync("mixcard")).CreateDataSource();
        Assert.True((await SchemaThenLoad.LoadAsync(db, dir.Path)).Succeeded);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM (SELECT transaction_id FROM marts.fct_sales GROUP BY 1 "
            + "HAVING bool_or(customer_key <> 0) AND bool_or(customer_key = 0)) mixed") > 10);

        // The loader's rows equal the check's reading of the facts, the tests' own SQL, and the re-derivation's rows.
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(db, From, From.AddDays(6), CancellationToken.None));
        var filter = new SalesFilter(From, From.AddDays(6), [], []);
        var loaded = await new SalesQueries(db).GetMixAsync(filter, CancellationToken.None);
        Assert.Equal(await Dashboard.MixQueriesTests.FromFactsAsync(db, "loyalty", filter),
            Dashboard.MixQueriesTests.Rows(loaded.Loyalty));
        var (fine, receipts) = (await db.ScalarAsync<string>(FineRows), await db.ScalarAsync<string>(ReceiptRows));
        await MixRollups.RederiveFromFactsAsync(db, new DateOnly(From.Year, From.Month, 1), CancellationToken.None);
        Assert.Equal(fine, await db.ScalarAsync<string>(FineRows));
        Assert.Equal(receipts, await db.ScalarAsync<string>(ReceiptRows));
    }

    internal static async Task Exec(LoadedWarehouse w, string sql, int? rows = 1)
    {
        await using var cmd = w.Db.CreateCommand(sql);
        var changed = await cmd.ExecuteNonQueryAsync();
        if (rows is { } expected)
        {
            Assert.Equal(expected, changed);
        }
    }
}
