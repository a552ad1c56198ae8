using Npgsql;
using NpgsqlTypes;

namespace Retail.Tests.Customers;

/// <summary>New customers straight from marts.fct_sales (published batches only), independently of the first-purchase tables.</summary>
internal static class NewCustomerFacts
{
    private const string Firsts = """
        SELECT DISTINCT ON (f.customer_key) f.customer_key, f.sold_at, f.sale_date, f.store_key, f.batch_id
        FROM marts.fct_sales f
        WHERE f.customer_key <> 0
          AND f.batch_id IN (SELECT batch_id FROM ops.load_batches WHERE status = 'loaded' AND published)
        ORDER BY f.customer_key, f.sold_at, f.store_key, f.batch_id
        """;

    /// <summary>Customers whose earliest published line is in [from, to] (at one of the stores, when given).</summary>
    public static async Task<long> NewAsync(NpgsqlDataSource db, DateOnly from, DateOnly to, short[]? stores)
    {
        await using var cmd = db.CreateCommand($"""
            SELECT count(*) FROM ({Firsts}) x WHERE sale_date BETWEEN $1 AND $2 AND ($3::smallint[] IS NULL OR store_key = ANY ($3))
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter
        {
            Value = (object?)stores ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint,
        });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Distinct loyalty customers with a published line in [from, to] at the stores (any category).</summary>
    public static async Task<long> CustomersAsync(NpgsqlDataSource db, DateOnly from, DateOnly to, short[]? stores)
    {
        await using var cmd = db.CreateCommand("""
            SELECT count(DISTINCT customer_key) FROM marts.fct_sales
            WHERE customer_key <> 0 AND sale_date BETWEEN $1 AND $2 AND ($3::smallint[] IS NULL OR store_key = ANY ($3))
              AND batch_id IN (SELECT batch_id FROM ops.load_batches WHERE status = 'loaded' AND published)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter
        {
            Value = (object?)stores ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint,
        });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>Both first-purchase tables as sorted text, to compare the loader's rows with re-derived ones.</summary>
    public static async Task<string> TablesAsync(NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand("""
            SELECT (SELECT string_agg(t::text, ';' ORDER BY t::text) FROM marts.customer_first_purchase t) || '|'
                || (SELECT string_agg(t::text, ';' ORDER BY t::text) FROM marts.agg_new_customers_daily t)
            """);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
