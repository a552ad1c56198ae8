using Npgsql;
using Retail.Core.Formats;

namespace Retail.Tests.Infrastructure;

/// <summary>Assertions about a loaded warehouse, shared by the single-node and the Citus suites.</summary>
public static class WarehouseAssert
{
    /// <summary>Day × store × category cells with loyalty customers in the facts: one customer sketch each.</summary>
    public const string CustomerSketchCellsSql = """
        SELECT count(*) FROM (SELECT DISTINCT f.sale_date, f.store_key, p.category_key
                              FROM marts.fct_sales f JOIN marts.dim_product p USING (product_key) WHERE f.customer_key <> 0) x
        """;

    private const string MixFromFactsSql = """
        SELECT string_agg(concat_ws(',', channel_key, payment_key, lines, revenue, gross, l_lines, l_revenue, l_gross), ';'
                          ORDER BY channel_key, payment_key)
        FROM (SELECT channel_key, payment_key, count(*) AS lines, sum(line_total_pence) AS revenue,
                     coalesce(sum(line_total_pence) FILTER (WHERE quantity > 0), 0) AS gross,
                     count(*) FILTER (WHERE customer_key <> 0) AS l_lines,
                     coalesce(sum(line_total_pence) FILTER (WHERE customer_key <> 0), 0) AS l_revenue,
                     coalesce(sum(line_total_pence) FILTER (WHERE quantity > 0 AND customer_key <> 0), 0) AS l_gross
              FROM marts.fct_sales GROUP BY 1, 2) x
        """;

    private const string MixFromRollupSql = """
        SELECT string_agg(concat_ws(',', channel_key, payment_key, lines, revenue, gross, l_lines, l_revenue, l_gross), ';'
                          ORDER BY channel_key, payment_key)
        FROM (SELECT channel_key, payment_key, sum(lines) AS lines, sum(revenue_pence) AS revenue, sum(gross_pence) AS gross,
                     sum(loyalty_lines) AS l_lines, sum(loyalty_revenue_pence) AS l_revenue, sum(loyalty_gross_pence) AS l_gross
              FROM marts.agg_mix_daily WHERE /*rows*/ GROUP BY 1, 2) x
        """;

    /// <summary>Warehouse totals per store per day, computed straight from the facts.</summary>
    public static async Task<Dictionary<(DateOnly, string), (long Lines, long Units, long RevenuePence)>> FactTotals(NpgsqlDataSource db)
    {
        var result = new Dictionary<(DateOnly, string), (long, long, long)>();
        await using var cmd = db.CreateCommand("""
            SELECT f.sale_date, s.store_code, count(*), sum(f.quantity), sum(f.line_total_pence)::bigint
            FROM marts.fct_sales f JOIN marts.dim_store s USING (store_key) GROUP BY 1, 2
            """);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            result[(r.GetFieldValue<DateOnly>(0), r.GetString(1))] = (r.GetInt64(2), r.GetInt64(3), r.GetInt64(4));
        }
        return result;
    }

    public static void AssertReconciles(Manifest m, Dictionary<(DateOnly, string), (long Lines, long Units, long RevenuePence)> totals)
    {
        Assert.Equal(m.ControlTotals.Count, totals.Count);
        foreach (var c in m.ControlTotals)
        {
            Assert.Equal((c.Lines, c.Units, c.RevenuePence), totals[(c.Date, c.Store)]);
        }
    }

    /// <summary>Only whole batches: every loaded batch's facts match its recorded row count, and nothing else is there.</summary>
    /// <remarks>Two queries compared here rather than one join: on Citus the ledger is local and the facts distributed.</remarks>
    public static async Task AssertWholeBatches(NpgsqlDataSource db)
    {
        var recorded = await BatchCounts(db,
            "SELECT batch_id, rows_loaded FROM ops.load_batches WHERE status = 'loaded' AND rows_loaded > 0");
        var stored = await BatchCounts(db, "SELECT batch_id, count(*) FROM marts.fct_sales GROUP BY batch_id");
        Assert.Equal(recorded.OrderBy(kv => kv.Key), stored.OrderBy(kv => kv.Key));
    }

    private static async Task<Dictionary<int, long>> BatchCounts(NpgsqlDataSource db, string sql)
    {
        var counts = new Dictionary<int, long>();
        await using var cmd = db.CreateCommand(sql);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            counts[r.GetInt32(0)] = r.GetInt64(1);
        }
        return counts;
    }

    /// <summary>
    /// The rollups agree with the facts (what the dashboard reads equals what was loaded), the channel and payment mix
    /// among them: their store rows, and their all-store rows (store_key 0) on their own.
    /// </summary>
    public static async Task AssertRollupsMatchFacts(NpgsqlDataSource db)
    {
        foreach (var rows in new[] { "store_key <> 0", "store_key = 0" })
        {
            Assert.Equal(await db.ScalarAsync<long>("SELECT coalesce(sum(line_total_pence), 0)::bigint FROM marts.fct_sales"),
                await db.ScalarAsync<long>($"SELECT coalesce(sum(revenue_pence), 0)::bigint FROM marts.agg_sales_hourly WHERE {rows}"));
            Assert.Equal(await db.ScalarAsync<long>("SELECT coalesce(sum(quantity), 0)::bigint FROM marts.fct_sales"),
                await db.ScalarAsync<long>($"SELECT coalesce(sum(units), 0)::bigint FROM marts.agg_product_daily WHERE {rows}"));
            Assert.Equal(await db.ScalarAsync<long>("SELECT count(DISTINCT transaction_id) FROM marts.fct_sales"),
                await db.ScalarAsync<long>($"SELECT coalesce(sum(receipts), 0)::bigint FROM marts.agg_receipts_daily WHERE {rows}"));
            // The channel and payment mix: lines and money per channel and payment, and their loyalty parts; receipts once per
            // channel and payment, loyalty receipts once per receipt with a card on any line.
            Assert.Equal(await db.ScalarAsync<string>(MixFromFactsSql),
                await db.ScalarAsync<string>(MixFromRollupSql.Replace("/*rows*/", rows, StringComparison.Ordinal)));
            // Both the rows per category combination and the receipts' total rows (category_mask 0, marts/128).
            var receipts = await db.ScalarAsync<long>("SELECT count(*) FROM (SELECT DISTINCT transaction_id, channel_key, "
                + "payment_key FROM marts.fct_sales) r");
            var loyaltyReceipts = await db.ScalarAsync<long>("SELECT count(*) FROM (SELECT transaction_id, channel_key, payment_key "
                + "FROM marts.fct_sales GROUP BY 1, 2, 3 HAVING bool_or(customer_key <> 0)) r");
            foreach (var masks in new[] { "category_mask <> 0", "category_mask = 0" })
            {
                Assert.Equal(receipts, await db.ScalarAsync<long>(
                    $"SELECT coalesce(sum(receipts), 0)::bigint FROM marts.agg_mix_receipts_daily WHERE {rows} AND {masks}"));
                Assert.Equal(loyaltyReceipts, await db.ScalarAsync<long>(
                    $"SELECT coalesce(sum(loyalty_receipts), 0)::bigint FROM marts.agg_mix_receipts_daily WHERE {rows} AND {masks}"));
            }
        }
        Assert.Equal(
            await db.ScalarAsync<long>(CustomerSketchCellsSql),
            await db.ScalarAsync<long>("SELECT count(*) FROM marts.agg_customers_hll_daily WHERE store_key <> 0"));
        Assert.Equal(
            await db.ScalarAsync<long>(CustomerSketchCellsSql.Replace("f.store_key, ", "", StringComparison.Ordinal)),
            await db.ScalarAsync<long>("SELECT count(*) FROM marts.agg_customers_hll_daily WHERE store_key = 0"));
    }

    /// <summary>Every (file, line) in quarantine, and its reason.</summary>
    public static async Task<Dictionary<(string File, long Line), string>> Rejected(NpgsqlDataSource db)
    {
        var rejected = new Dictionary<(string, long), string>();
        await using var cmd = db.CreateCommand("SELECT b.file_name, r.line_no, r.reason FROM ops.rejected_rows r JOIN ops.load_batches b "
            + "USING (batch_id)");
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            rejected[(r.GetString(0), r.GetInt64(1))] = r.GetString(2);
        }
        return rejected;
    }
}
