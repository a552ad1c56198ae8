using Retail.Data.Quality;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Rollups;

/// <summary>
/// Refund-only receipts (what "transactions" and average transaction value leave out) are held to the facts by
/// rollups_match_facts in every layer that stores them: the fine receipts and mix receipts per day, and the month and
/// week receipts and mix receipts, store rows and all-store rows each. Moving one count changes no other figure, so only
/// the refund comparison can see it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RefundReceiptsCheckTests(PostgresFixture pg)
{
    private static readonly DateOnly From = new(2025, 1, 20);
    private static readonly DateOnly To = new(2025, 3, 10);

    [Fact]
    public async Task The_check_names_a_changed_refund_only_receipt_count_in_every_layer()
    {
        var w = await LoadedWarehouse.CreateAsync(pg, "refunds", 10_000, From, To);
        Assert.Empty(await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None));
        Assert.True(await w.Db.ScalarAsync<long>("SELECT sum(refund_receipts)::bigint FROM marts.agg_receipts_daily") > 0);

        await Bump(w, "agg_receipts_daily", "refund_receipts", "sale_date = '2025-01-23' AND store_key <> 0");
        await Bump(w, "agg_receipts_daily", "refund_receipts", "sale_date = '2025-02-03' AND store_key = 0");
        await Bump(w, "agg_month_receipts", "refund_receipts", "month = '2025-02-01' AND store_key <> 0");
        await Bump(w, "agg_week_receipts", "refund_receipts", "week = '2025-02-10' AND store_key = 0");
        await Bump(w, "agg_mix_receipts_daily", "loyalty_refund_receipts", "sale_date = '2025-02-25' AND store_key <> 0");
        await Bump(w, "agg_week_mix_receipts", "refund_receipts", "week = '2025-01-27' AND store_key = 0");

        var failing = await RollupsMatchFacts.FailingDaysAsync(w.Db, From, To, CancellationToken.None);
        Assert.Equal(
            [
                (new DateOnly(2025, 1, 23), "agg_receipts_daily"), (new DateOnly(2025, 1, 27), "agg_week_mix (all stores)"),
                (new DateOnly(2025, 2, 1), "agg_month_receipts"), (new DateOnly(2025, 2, 3), "agg_receipts_daily (all stores)"),
                (new DateOnly(2025, 2, 10), "agg_week_receipts (all stores)"), (new DateOnly(2025, 2, 25), "agg_mix_daily"),
            ],
            failing);
        // Not only the mix differs, so the advice is the full re-derivation.
        Assert.Equal("retail rollups rebuild --from-facts", RollupsMatchFacts.Repair(failing));
    }

    private static Task Bump(LoadedWarehouse w, string table, string column, string where) => MixRollupsTests.Exec(w,
        $"UPDATE marts.{table} SET {column} = {column} + 1 WHERE ctid = (SELECT ctid FROM marts.{table} WHERE {where} LIMIT 1)");
}
