using System.Globalization;
using Npgsql;

namespace Retail.Tests.Infrastructure;

public static class DbTestExtensions
{
    /// <summary>The first column of the first row, converted (sum() of bigint arrives as numeric).</summary>
    public static async Task<T> ScalarAsync<T>(this NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        var value = await cmd.ExecuteScalarAsync();
        return value is T t ? t : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture)!;
    }

    /// <summary>The first row's columns.</summary>
    public static async Task<(object, object, object)> ScalarRowAsync(this NpgsqlDataSource db, string sql)
    {
        await using var cmd = db.CreateCommand(sql);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync(), sql);
        return (r.GetValue(0), r.GetValue(1), r.GetValue(2));
    }

    /// <summary>Revenue (pence), transactions, units, lines and unique loyalty customers, computed independently from raw facts.</summary>
    public static async Task<(long Revenue, long Transactions, long Units, long Lines, long Customers)> KpisFromFactsAsync(
        this NpgsqlDataSource db, DateOnly from, DateOnly to, string[] stores, string[] categories)
    {
        await using var cmd = FilteredCommand(db, from, to, stores, categories, """
            SELECT coalesce(sum(f.line_total_pence), 0)::bigint, count(DISTINCT f.transaction_id),
                   coalesce(sum(f.quantity), 0)::bigint, count(*),
                   count(DISTINCT f.customer_key) FILTER (WHERE f.customer_key <> 0)
            FROM marts.fct_sales f
            JOIN marts.dim_store s ON s.store_key = f.store_key
            JOIN marts.dim_product p ON p.product_key = f.product_key
            JOIN marts.dim_category c ON c.category_key = p.category_key
            WHERE f.sale_date BETWEEN $1 AND $2
              AND (cardinality($3::text[]) = 0 OR s.store_code = ANY($3))
              AND (cardinality($4::text[]) = 0 OR c.category_name = ANY($4))
            """);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4));
    }

    /// <summary>
    /// Receipts from the facts as the Transactions card counts them: those with a line in the filter and a sale line
    /// anywhere on the receipt; and the refund-only ones (every line a return) with a line in the filter.
    /// </summary>
    public static async Task<(long Sales, long RefundOnly)> ReceiptsFromFactsAsync(
        this NpgsqlDataSource db, DateOnly from, DateOnly to, string[] stores, string[] categories)
    {
        await using var cmd = FilteredCommand(db, from, to, stores, categories, """
            WITH r AS (
                SELECT f.transaction_id, bool_or(f.quantity > 0) AS has_sale,
                       bool_or(cardinality($4::text[]) = 0 OR c.category_name = ANY($4)) AS in_filter
                FROM marts.fct_sales f
                JOIN marts.dim_store s ON s.store_key = f.store_key
                JOIN marts.dim_product p ON p.product_key = f.product_key
                JOIN marts.dim_category c ON c.category_key = p.category_key
                WHERE f.sale_date BETWEEN $1 AND $2 AND (cardinality($3::text[]) = 0 OR s.store_code = ANY($3))
                GROUP BY f.transaction_id)
            SELECT count(*) FILTER (WHERE in_filter AND has_sale), count(*) FILTER (WHERE in_filter AND NOT has_sale) FROM r
            """);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    /// <summary>A query over the facts whose $1–$4 are the filter: first day, last day, store codes, category names.</summary>
    private static NpgsqlCommand FilteredCommand(NpgsqlDataSource db, DateOnly from, DateOnly to, string[] stores, string[] categories,
        string sql)
    {
        var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = from });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to });
        cmd.Parameters.Add(new NpgsqlParameter { Value = stores });
        cmd.Parameters.Add(new NpgsqlParameter { Value = categories });
        return cmd;
    }

    /// <summary>Top products straight from the facts: sku, units, revenue.</summary>
    public static async Task<List<(string Sku, long Units, long Revenue)>> TopFromFactsAsync(this NpgsqlDataSource db, DateOnly from,
        DateOnly to, string[] stores, bool byUnits)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT p.sku, sum(f.quantity)::bigint AS units, sum(f.line_total_pence)::bigint AS revenue
            FROM marts.fct_sales f JOIN marts.dim_product p USING (product_key) JOIN marts.dim_store s USING (store_key)
            WHERE f.sale_date BETWEEN $1 AND $2 AND (cardinality($3::text[]) = 0 OR s.store_code = ANY($3))
            GROUP BY p.sku ORDER BY {(byUnits ? "units DESC, revenue DESC" : "revenue DESC, units DESC")}, p.sku LIMIT 10
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = from });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to });
        cmd.Parameters.Add(new NpgsqlParameter { Value = stores });
        var list = new List<(string, long, long)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            list.Add((r.GetString(0), r.GetInt64(1), r.GetInt64(2)));
        }
        return list;
    }
}
