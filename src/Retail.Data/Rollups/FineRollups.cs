using Npgsql;

namespace Retail.Data.Rollups;

/// <summary>The per-batch fine rollups the loader writes beside the facts: a forced reload deletes a batch's rows from each.</summary>
public static class FineRollups
{
    public static readonly IReadOnlyList<string> Tables =
    [
        "marts.agg_sales_hourly", "marts.agg_product_daily", "marts.agg_receipts_daily", "marts.agg_customers_hll_daily",
        "marts.agg_mix_daily", "marts.agg_mix_receipts_daily",
    ];

    /// <summary>
    /// Before the periods are rebuilt from them: summarizes the date BRIN ranges filled since the last vacuum, and
    /// refreshes the tables' statistics. An unsummarized range matches every query, so straight after a load each
    /// period rebuild (and each read of edge days) scanned the whole fine rollup: a year at 1M lines read 860k product
    /// rows to keep 16k a week. Without statistics a first load's rebuild planned its reads of tables it took for
    /// empty: its statements took twice as long at 1M lines. VACUUM rather than brin_summarize_new_values because
    /// Citus passes it on to the shards; it visits the pages changed since the last one (ANALYZE samples each table).
    /// </summary>
    public static async Task RefreshAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"VACUUM (ANALYZE) {string.Join(", ", Tables)}");
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
