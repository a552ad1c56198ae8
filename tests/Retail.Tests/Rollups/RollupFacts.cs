using Npgsql;

namespace Retail.Tests.Rollups;

/// <summary>Every widget's answer computed straight from marts.fct_sales (published batches only), independently of the rollups.</summary>
internal static class RollupFacts
{
    private const string Where = """
        f.sale_date BETWEEN $1 AND $2
          AND f.batch_id IN (SELECT batch_id FROM ops.load_batches WHERE status = 'loaded' AND published)
          AND ($3::smallint[] IS NULL OR f.store_key = ANY ($3))
          AND ($4::smallint[] IS NULL OR p.category_key = ANY ($4))
        """;

    private const string From = "marts.fct_sales f JOIN marts.dim_product p ON p.product_key = f.product_key";

    public sealed record Totals(
        long Revenue, long Units, long Lines, long Gross, long Returns, long Discount, long ReturnUnits, long Receipts, long RefundReceipts,
        long Customers);

    public static async Task<Totals> KpisAsync(NpgsqlDataSource db, DateOnly from, DateOnly to, short[]? stores, short[]? categories)
    {
        // A receipt counts when it has a line in the selection; refund-only means every line of it (in any category) is a return.
        var rows = await Rows(db, $"""
            SELECT coalesce(sum(f.line_total_pence), 0)::bigint, coalesce(sum(f.quantity), 0)::bigint, count(*),
                   coalesce(sum(f.line_total_pence) FILTER (WHERE f.quantity > 0), 0)::bigint,
                   coalesce(-sum(f.line_total_pence) FILTER (WHERE f.quantity < 0), 0)::bigint,
                   coalesce(sum(f.discount_pence), 0)::bigint, coalesce(-sum(f.quantity) FILTER (WHERE f.quantity < 0), 0)::bigint,
                   count(DISTINCT f.transaction_id),
                   (SELECT count(*) FROM (SELECT a.transaction_id FROM marts.fct_sales a
                        WHERE a.sale_date BETWEEN $1 AND $2
                          AND a.transaction_id IN (SELECT DISTINCT f3.transaction_id
                              FROM marts.fct_sales f3 JOIN marts.dim_product p3 ON p3.product_key = f3.product_key
                              WHERE f3.sale_date BETWEEN $1 AND $2
                                AND f3.batch_id IN (SELECT batch_id FROM ops.load_batches WHERE status = 'loaded' AND published)
                                AND ($3::smallint[] IS NULL OR f3.store_key = ANY ($3))
                                AND ($4::smallint[] IS NULL OR p3.category_key = ANY ($4)))
                        GROUP BY a.transaction_id HAVING bool_and(a.quantity < 0)) r),
                   count(DISTINCT f.customer_key) FILTER (WHERE f.customer_key <> 0)
            FROM {From} WHERE {Where}
            """, from, to, stores, categories);
        var r = rows.Single();
        return new Totals(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9]);
    }

    /// <summary>Revenue per day of [from, to].</summary>
    public static async Task<Dictionary<DateOnly, long>> DailyAsync(
        NpgsqlDataSource db, DateOnly from, DateOnly to, short[]? stores, short[]? categories)
    {
        var map = new Dictionary<DateOnly, long>();
        await using var cmd = Command(db, $"SELECT f.sale_date, sum(f.line_total_pence)::bigint FROM {From} WHERE {Where} GROUP BY 1",
            from, to, stores, categories);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            map[r.GetFieldValue<DateOnly>(0)] = r.GetInt64(1);
        }
        return map;
    }

    public static async Task<List<(string Name, long Revenue, long Units)>> ByAsync(
        NpgsqlDataSource db, string dimension, DateOnly from, DateOnly to, short[]? stores, short[]? categories)
    {
        var (join, name) = dimension == "store"
            ? ("JOIN marts.dim_store d ON d.store_key = f.store_key", "d.store_name")
            : ("JOIN marts.dim_category d ON d.category_key = p.category_key", "d.category_name");
        var list = new List<(string, long, long)>();
        await using var cmd = Command(db, $"""
            SELECT {name}, sum(f.line_total_pence)::bigint AS revenue, sum(f.quantity)::bigint FROM {From} {join} WHERE {Where}
            GROUP BY {name} ORDER BY revenue DESC, {name} COLLATE "C"
            """, from, to, stores, categories);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            list.Add((r.GetString(0), r.GetInt64(1), r.GetInt64(2)));
        }
        return list;
    }

    public static async Task<List<(string Sku, long Units, long Revenue)>> TopAsync(
        NpgsqlDataSource db, bool byUnits, DateOnly from, DateOnly to, short[]? stores, short[]? categories)
    {
        var list = new List<(string, long, long)>();
        await using var cmd = Command(db, $"""
            SELECT p.sku, sum(f.quantity)::bigint AS units, sum(f.line_total_pence)::bigint AS revenue FROM {From} WHERE {Where}
            GROUP BY p.sku ORDER BY {(byUnits ? "units DESC, revenue DESC" : "revenue DESC, units DESC")}, p.sku COLLATE "C" LIMIT 10
            """, from, to, stores, categories);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            list.Add((r.GetString(0), r.GetInt64(1), r.GetInt64(2)));
        }
        return list;
    }

    /// <summary>Revenue by ISO weekday and the store's local hour (Europe/London).</summary>
    public static async Task<List<(int Dow, int Hour, long Revenue)>> HeatAsync(
        NpgsqlDataSource db, DateOnly from, DateOnly to, short[]? stores, short[]? categories)
    {
        var list = new List<(int, int, long)>();
        await using var cmd = Command(db, $"""
            SELECT extract(isodow FROM f.sale_date)::int, extract(hour FROM f.sold_at AT TIME ZONE 'Europe/London')::int,
                   sum(f.line_total_pence)::bigint
            FROM {From} WHERE {Where} GROUP BY 1, 2 ORDER BY 1, 2
            """, from, to, stores, categories);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            list.Add((r.GetInt32(0), r.GetInt32(1), r.GetInt64(2)));
        }
        return list;
    }

    private static async Task<List<long[]>> Rows(
        NpgsqlDataSource db, string sql, DateOnly from, DateOnly to, short[]? stores, short[]? categories)
    {
        var list = new List<long[]>();
        await using var cmd = Command(db, sql, from, to, stores, categories);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            list.Add(Enumerable.Range(0, r.FieldCount)
                .Select(i => r.IsDBNull(i) ? 0 : Convert.ToInt64(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))
                .ToArray());
        }
        return list;
    }

    private static NpgsqlCommand Command(NpgsqlDataSource db, string sql, DateOnly from, DateOnly to, short[]? stores, short[]? categories)
    {
        var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter
        {
            Value = (object?)stores ?? DBNull.Value,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Smallint,
        });
        cmd.Parameters.Add(new NpgsqlParameter
        {
            Value = (object?)categories ?? DBNull.Value,
            NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Smallint,
        });
        return cmd;
    }
}
