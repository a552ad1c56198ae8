using Retail.Core.Generation;
using Retail.Data.Quality;
using Retail.Data.Queries;
using Retail.Data.Warehouse;
using Retail.Pipeline.Staging;
using Retail.Tests.Dashboard;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Citus;

/// <summary>
/// The channel and payment mix rollups (issue #12) on a real Citus coordinator + 2 workers: distributed by store and
/// co-located with the other rollups, checked by rollups_match_facts there, and the mix read over months, weeks and
/// days equals the facts and a single node loaded with the same files; migration 123 (all-store mix rows) runs on the
/// distributed layout, and `retail rollups rebuild --from-facts --only mix` re-derives the mix there.
/// </summary>
[Collection(CitusCollection.Name)]
public sealed class CitusMixTests(CitusFixture citus, PostgresFixture pg)
{
    private static readonly string[] MixTables =
        ["agg_mix_daily", "agg_mix_receipts_daily", "agg_month_mix", "agg_month_mix_receipts", "agg_week_mix", "agg_week_mix_receipts"];

    [CitusFact]
    public async Task The_mix_rollups_are_colocated_checked_and_answer_as_one_node_does()
    {
        using var dir = new TempDir();
        var (from, to) = (new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 31));
        await new StagingWriter(SalesGenerator.Create(new GeneratorOptions(6_000, 42, from, to)), dir.Path, false, 2)
            .WriteAsync(null, CancellationToken.None);
        var settings = await citus.CreateDatabaseAsync("mix");
        await using var db = citus.Endpoint(settings).CreateDataSource();
        Assert.True((await SchemaThenLoad.LoadAsync(db, dir.Path)).Succeeded);
        await using var one = pg.Endpoint(await pg.CreateDatabaseAsync("mixone")).CreateDataSource();
        Assert.True((await SchemaThenLoad.LoadAsync(one, dir.Path)).Succeeded);

        var hourly = await db.ScalarAsync<int>(
            "SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = 'marts.agg_sales_hourly'::regclass");
        foreach (var table in MixTables)
        {
            Assert.Equal($"store_key {hourly}", await db.ScalarAsync<string>($"""
                SELECT column_to_column_name(logicalrelid, partkey) || ' ' || colocationid FROM pg_dist_partition
                WHERE logicalrelid = 'marts.{table}'::regclass
                """));
        }
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM marts.agg_month_mix") > 0);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM marts.agg_week_mix_receipts") > 0);
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(db, from, to, CancellationToken.None));

        var q = new SalesQueries(db);
        var f = new SalesFilter(new DateOnly(2025, 1, 9), new DateOnly(2025, 3, 20), [1, 3, 5], [1, 3]);
        var plan = (await q.CurrentAsync(CancellationToken.None)).Plan(f.From, f.To);
        Assert.NotEmpty(plan.Months);
        Assert.NotEmpty(plan.Weeks);
        var mix = await q.GetMixAsync(f, CancellationToken.None);
        Assert.Equal(await MixQueriesTests.FromFactsAsync(db, "channel", f),
            MixQueriesTests.Rows(mix.Channels));
        var single = await new SalesQueries(one).GetMixAsync(f, CancellationToken.None);
        Assert.Equal(single.Channels, mix.Channels);
        Assert.Equal(single.Payments, mix.Payments);
        Assert.Equal(single.Loyalty, mix.Loyalty);
        Assert.Equal(await MixQueriesTests.FromFactsAsync(db, "loyalty", f),
            MixQueriesTests.Rows(mix.Loyalty));
        var all = new SalesFilter(from, to, [], []);
        var allStores = await q.GetMixAsync(all, CancellationToken.None);
        Assert.Equal(await MixQueriesTests.FromFactsAsync(db, "payment", all),
            allStores.Payments.Select(p => (p.Name, p.RevenuePence, p.GrossPence, p.Lines, p.Receipts, p.RefundReceipts))
                .OrderBy(p => p.Name));

        // Migration 123 on the distributed tables, in the schema step's transaction: as a cluster loaded before it.
        foreach (var table in MixTables)
        {
            await Exec(db, $"DELETE FROM marts.{table} WHERE store_key = 0");
        }
        var migration = WarehouseSchema.Scripts.Single(s => s.Version.StartsWith("123_", StringComparison.Ordinal));
        await Exec(db, $"DELETE FROM ops.schema_migrations WHERE version = '{migration.Version}'");
        Assert.NotEmpty(await RollupsMatchFacts.FailingDaysAsync(db, from, to, CancellationToken.None));
        Assert.Equal(1, await WarehouseSchema.ApplyAsync(db, CancellationToken.None));
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(db, from, to, CancellationToken.None));
        Assert.Equal(allStores.Channels, (await q.GetMixAsync(all, CancellationToken.None)).Channels);

        // Migration 127 on the distributed tables: as a cluster loaded before it, without the loyalty columns.
        foreach (var table in MixTables)
        {
            await Exec(db, Rollups.MixUpgradeTests.DropLoyaltyColumns(table));
        }
        var loyalty = WarehouseSchema.Scripts.Single(s => s.Version.StartsWith("127_", StringComparison.Ordinal));
        await Exec(db, $"DELETE FROM ops.schema_migrations WHERE version = '{loyalty.Version}'");
        var advice = new List<string>();
        Assert.Equal(1, await WarehouseSchema.ApplyAsync(db, new SchemaOptions { Advise = advice.Add }, CancellationToken.None));
        Assert.Contains("retail rollups rebuild --from-facts --only mix", Assert.Single(advice), StringComparison.Ordinal);
        Assert.Equal(0, (await q.GetMixAsync(f, CancellationToken.None)).Loyalty.Single(p => p.Name == "loyalty_card").RevenuePence);

        // As a cluster migrated across 122: no mix rows, until the mix alone is re-derived from the facts (a real CLI run).
        foreach (var table in MixTables)
        {
            await Exec(db, $"DELETE FROM marts.{table}");
        }
        using var home = new TempDir();
        var run = await CliProcess.RunAsync(home.Path, CliProcess.Env(settings), "rollups", "rebuild", "--from-facts", "--only",
            "mix");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(db, from, to, CancellationToken.None));
        Assert.Equal(allStores.Channels, (await q.GetMixAsync(all, CancellationToken.None)).Channels);
        Assert.Equal(single.Payments, (await q.GetMixAsync(f, CancellationToken.None)).Payments);
        Assert.Equal(single.Loyalty, (await q.GetMixAsync(f, CancellationToken.None)).Loyalty);
        Assert.Equal(allStores.Loyalty, (await q.GetMixAsync(all, CancellationToken.None)).Loyalty);
    }

    private static async Task Exec(Npgsql.NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        await cmd.ExecuteNonQueryAsync();
    }
}
