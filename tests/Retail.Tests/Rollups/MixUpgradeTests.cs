using Retail.Data.Quality;
using Retail.Data.Queries;
using Retail.Data.Warehouse;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Rollups;

/// <summary>
/// Warehouses that predate the mix's all-store rows or the mix itself (issues #10, #12): migration 123 gives a loaded
/// warehouse exactly the all-store rows the loader writes, in every layer, and runs again harmlessly; a warehouse
/// migrated across 122 (empty mix tables, month and week signatures still current) is named by `retail check` with the
/// repair, and `retail rollups rebuild --from-facts --only mix` (a real CLI run) gives it the loader's mix rows without
/// writing any other fine rollup; one migrated across 127 (the loyalty split) reads it as nothing, and the check names the
/// same repair until it is run; migration 128 gives a loaded warehouse the receipts' total rows the loader writes.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MixUpgradeTests(PostgresFixture pg)
{
    private static readonly DateOnly From = new(2025, 1, 20);
    private static readonly DateOnly To = new(2025, 3, 10);

    private static readonly string[] MixTables =
        ["agg_mix_daily", "agg_mix_receipts_daily", "agg_month_mix", "agg_month_mix_receipts", "agg_week_mix", "agg_week_mix_receipts"];

    private static readonly string[] OtherFineRollups =
        ["agg_sales_hourly", "agg_product_daily", "agg_receipts_daily", "agg_customers_hll_daily"];

    /// <summary>
    /// 123 adds the all-store rows (store_key 0) to every mix table, 128 the receipts' total rows (category_mask 0) to the
    /// receipts tables: a warehouse loaded before either gets exactly the rows the loader writes, named by the check until then.
    /// </summary>
    [Theory]
    [InlineData("123_", "store_key = 0", false, "agg_month_mix (all stores)")]
    [InlineData("128_", "category_mask = 0", true, "agg_week_mix (all stores)")]
    public async Task A_mix_migration_gives_a_loaded_warehouse_the_loaders_rows_and_runs_again_harmlessly(string version, string rows,
        bool receiptsOnly, string named)
    {
        var w = await LoadedWarehouse.CreateAsync(pg, $"mix{version.TrimEnd('_')}", 6_000, From, To);
        var loaded = await MixRowsAsync(w);
        var filter = new SalesFilter(From, To, [], []);
        var mix = await new SalesQueries(w.Db).GetMixAsync(filter, CancellationToken.None);

        // As a warehouse loaded before the migration: without the rows it adds, and the migration not yet applied.
        foreach (var table in MixTables.Where(t => !receiptsOnly || t.Contains("receipts", StringComparison.Ordinal)))
        {
            Assert.True(await w.Db.ScalarAsync<long>($"SELECT count(*) FROM marts.{table} WHERE {rows}") > 0, table);
            await Exec(w, $"DELETE FROM marts.{table} WHERE {rows}");
        }
        var migration = WarehouseSchema.Scripts.Single(s => s.Version.StartsWith(version, StringComparison.Ordinal));
        await Exec(w, $"DELETE FROM ops.schema_migrations WHERE version = '{migration.Version}'");
        Assert.Contains(await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None), f => f.Rollup == named);

        Assert.Equal(1, await WarehouseSchema.ApplyAsync(w.Db, CancellationToken.None));
        Assert.Equal(loaded, await MixRowsAsync(w));
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None));
        await Exec(w, migration.Sql);
        Assert.Equal(loaded, await MixRowsAsync(w));
        var after = await new SalesQueries(w.Db).GetMixAsync(filter, CancellationToken.None);
        Assert.Equal(mix.Channels, after.Channels);
        Assert.Equal(mix.Loyalty, after.Loyalty);
    }

    [Fact]
    public async Task A_warehouse_migrated_across_the_mix_is_named_by_the_check_and_gets_the_mix_alone_from_the_facts()
    {
        var w = await LoadedWarehouse.CreateAsync(pg, "mixonly", 6_000, From, To);
        var loaded = await MixRowsAsync(w);
        var filter = new SalesFilter(From, To, [], []);
        var mix = await new SalesQueries(w.Db).GetMixAsync(filter, CancellationToken.None);

        // What migration 122 leaves in a loaded warehouse: every mix table empty, month and week signatures current.
        foreach (var table in MixTables)
        {
            await Exec(w, $"DELETE FROM marts.{table}");
        }
        var written = await LastWritesAsync(w);
        var failing = await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None);
        Assert.Contains(failing, f => f.Rollup == "agg_mix_daily (all stores)");
        Assert.Contains(failing, f => f.Rollup == "agg_week_mix");
        var check = (await new QualityChecks(w.Db, TimeProvider.System)
                .RunAsync(From, To, null, null, includeUnpublished: false, CancellationToken.None))
            .Single(c => c.Name == RollupsMatchFacts.Name);
        Assert.False(check.Passed);
        Assert.EndsWith(": run retail rollups rebuild --from-facts --only mix", check.Observed, StringComparison.Ordinal);

        using var dir = new TempDir();
        var env = CliProcess.Env(w.Settings);
        var usage = await CliProcess.RunAsync(dir.Path, env, "rollups", "rebuild", "--only", "mix");
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--only mix re-derives the mix from the facts: add --from-facts", usage.Stderr, StringComparison.Ordinal);
        var run = await CliProcess.RunAsync(dir.Path, env, "rollups", "rebuild", "--from-facts", "--only", "mix");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("rollups: 2025-02 mix re-derived from the facts and rebuilt (2 of 3)", run.Stdout, StringComparison.Ordinal);

        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None));
        Assert.Equal(loaded, await MixRowsAsync(w));
        Assert.Equal(written, await LastWritesAsync(w));
        var after = await new SalesQueries(w.Db).GetMixAsync(filter, CancellationToken.None);
        Assert.Equal(mix.Channels, after.Channels);
        Assert.Equal(mix.Payments, after.Payments);
    }

    [Fact]
    public async Task A_warehouse_migrated_across_the_loyalty_split_is_named_by_the_check_until_the_mix_is_re_derived()
    {
        var w = await LoadedWarehouse.CreateAsync(pg, "mix127", 6_000, From, To);
        var loaded = await MixRowsAsync(w);
        var filter = new SalesFilter(From, To, [], []);
        var mix = await new SalesQueries(w.Db).GetMixAsync(filter, CancellationToken.None);
        Assert.True(mix.Loyalty.Single(p => p.Name == "loyalty_card").RevenuePence > 0);

        // As a warehouse loaded before migration 127: no loyalty columns, and 127 not yet applied.
        var migration = WarehouseSchema.Scripts.Single(s => s.Version.StartsWith("127_", StringComparison.Ordinal));
        foreach (var table in MixTables)
        {
            await Exec(w, DropLoyaltyColumns(table));
        }
        await Exec(w, $"DELETE FROM ops.schema_migrations WHERE version = '{migration.Version}'");
        // The first command that migrates it (a real CLI run; the month rebuild changes nothing) says what to run.
        using var dir = new TempDir();
        var env = CliProcess.Env(w.Settings);
        var upgrade = await CliProcess.RunAsync(dir.Path, env, "rollups", "rebuild");
        Assert.True(upgrade.ExitCode == 0, upgrade.All);
        Assert.Contains($"warning: migration {migration.Version} applied: run `retail rollups rebuild --from-facts --only mix` "
            + "(until then the loyalty share is understated)", upgrade.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, await w.Db.ScalarAsync<long>($"SELECT count(*) FROM ops.schema_migrations WHERE version = '{migration.Version}'"));

        // Every other figure of the mix is unchanged; the loyalty split reads nothing until it is re-derived, and the
        // check says so with the cheaper repair.
        var migrated = await new SalesQueries(w.Db).GetMixAsync(filter, CancellationToken.None);
        Assert.Equal(mix.Channels, migrated.Channels);
        Assert.Equal(mix.Payments, migrated.Payments);
        Assert.Equal(0, migrated.Loyalty.Single(p => p.Name == "loyalty_card").RevenuePence);
        var failing = await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None);
        Assert.Contains(failing, f => f.Rollup == "agg_mix_daily");
        Assert.Contains(failing, f => f.Rollup == "agg_month_mix (all stores)");
        Assert.Equal("retail rollups rebuild --from-facts --only mix", RollupsMatchFacts.Repair(failing));

        var run = await CliProcess.RunAsync(dir.Path, env, "rollups", "rebuild", "--from-facts", "--only", "mix");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.DoesNotContain("warning:", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None));
        Assert.Equal(loaded, await MixRowsAsync(w));
        Assert.Equal(mix.Loyalty, (await new SalesQueries(w.Db).GetMixAsync(filter, CancellationToken.None)).Loyalty);
    }

    /// <summary>The loyalty parts marts/127 adds to a mix table, dropped: the table as a warehouse loaded before 127 has it.</summary>
    internal static string DropLoyaltyColumns(string table) => $"ALTER TABLE marts.{table} " + string.Join(", ",
        (table.Contains("receipts", StringComparison.Ordinal)
            ? new[] { "loyalty_receipts", "loyalty_refund_receipts" }
            : ["loyalty_lines", "loyalty_revenue_pence", "loyalty_gross_pence"]).Select(c => $"DROP COLUMN {c}"));

    /// <summary>Every row of the six mix tables, in key order (all-store rows first in each).</summary>
    private static async Task<string> MixRowsAsync(LoadedWarehouse w)
    {
        var all = new List<string>();
        foreach (var table in MixTables)
        {
            var period = table.StartsWith("agg_mix", StringComparison.Ordinal) ? "batch_id, sale_date"
                : table.StartsWith("agg_month", StringComparison.Ordinal) ? "month" : "week";
            var keys = table.EndsWith("receipts", StringComparison.Ordinal) || table.EndsWith("receipts_daily", StringComparison.Ordinal)
                ? "channel_key, payment_key, category_mask" : "category_key, channel_key, payment_key";
            all.Add($"{table}: " + await w.Db.ScalarAsync<string>(
                $"SELECT string_agg(t::text, ';' ORDER BY store_key, {period}, {keys}) FROM marts.{table} t"));
        }
        return string.Join("\n", all);
    }

    /// <summary>The newest transaction that wrote each of the other fine rollups: unchanged when nothing rewrote them.</summary>
    private static async Task<string> LastWritesAsync(LoadedWarehouse w)
    {
        var all = new List<string>();
        foreach (var table in OtherFineRollups)
        {
            all.Add(await w.Db.ScalarAsync<string>($"SELECT '{table} ' || max(xmin::text::bigint) || ' ' || count(*) FROM marts.{table}"));
        }
        return string.Join("; ", all);
    }

    private static async Task Exec(LoadedWarehouse w, string sql)
    {
        await using var cmd = w.Db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
