using Retail.Core.Generation;
using Retail.Data.Quality;
using Retail.Data.Queries;
using Retail.Pipeline.Staging;
using Retail.Tests.Dashboard;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Citus;

/// <summary>
/// The channel and payment mix rollups (issue #12) on a real Citus coordinator + 2 workers: distributed by store and
/// co-located with the other rollups, checked by rollups_match_facts there, and the mix read over months, weeks and
/// days equals the facts and a single node loaded with the same files.
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
        await using var db = citus.Endpoint(await citus.CreateDatabaseAsync("mix")).CreateDataSource();
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
            mix.Channels.Select(p => (p.Name, p.RevenuePence, p.GrossPence, p.Lines, p.Receipts, p.RefundReceipts)).OrderBy(p => p.Name));
        var single = await new SalesQueries(one).GetMixAsync(f, CancellationToken.None);
        Assert.Equal(single.Channels, mix.Channels);
        Assert.Equal(single.Payments, mix.Payments);
    }
}
