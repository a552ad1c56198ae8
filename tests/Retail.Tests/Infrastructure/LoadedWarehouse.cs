using Npgsql;
using Retail.Core.Formats;
using Retail.Core.Generation;
using Retail.Data.Configuration;
using Retail.Data.Loading;
using Retail.Pipeline.Staging;

namespace Retail.Tests.Infrastructure;

/// <summary>A test database loaded with generated sales, and SQL helpers that compute answers straight from fct_sales.</summary>
public sealed class LoadedWarehouse
{
    public required DatabaseSettings Settings { get; init; }
    public required NpgsqlDataSource Db { get; init; }
    public required Manifest Manifest { get; init; }

    public static async Task<LoadedWarehouse> CreateAsync(PostgresFixture pg, string prefix, long rows, DateOnly from, DateOnly to)
    {
        var settings = await pg.CreateDatabaseAsync(prefix);
        var db = pg.Endpoint(settings).CreateDataSource();
        using var dir = new TempDir();
        var manifest = await new StagingWriter(SalesGenerator.Create(new GeneratorOptions(rows, 42, from, to)), dir.Path, false, 2).WriteAsync(null, CancellationToken.None);
        var report = await new WarehouseLoader(db, TimeProvider.System).LoadAsync(WarehouseLoader.ResolveFiles([dir.Path]), new LoadOptions(), null, CancellationToken.None);
        if (!report.Succeeded)
        {
            throw new InvalidOperationException("test warehouse failed to load");
        }
        return new LoadedWarehouse { Settings = settings, Db = db, Manifest = manifest };
    }

    /// <summary>Revenue (pence), transactions, units, lines and unique loyalty customers, computed independently from raw facts.</summary>
    public async Task<(long Revenue, long Transactions, long Units, long Lines, long Customers)> KpisFromFactsAsync(DateOnly from, DateOnly to, string[] stores, string[] categories)
    {
        await using var cmd = Db.CreateCommand("""
            SELECT coalesce(sum(f.line_total_pence), 0)::bigint, count(DISTINCT f.transaction_id), coalesce(sum(f.quantity), 0)::bigint, count(*),
                   count(DISTINCT f.customer_key) FILTER (WHERE f.customer_key <> 0)
            FROM marts.fct_sales f
            JOIN marts.dim_store s ON s.store_key = f.store_key
            JOIN marts.dim_product p ON p.product_key = f.product_key
            JOIN marts.dim_category c ON c.category_key = p.category_key
            WHERE f.sale_date BETWEEN $1 AND $2
              AND (cardinality($3::text[]) = 0 OR s.store_code = ANY($3))
              AND (cardinality($4::text[]) = 0 OR c.category_name = ANY($4))
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = from });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to });
        cmd.Parameters.Add(new NpgsqlParameter { Value = stores });
        cmd.Parameters.Add(new NpgsqlParameter { Value = categories });
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4));
    }

    /// <summary>Top products straight from the facts: sku, units, revenue.</summary>
    public async Task<List<(string Sku, long Units, long Revenue)>> TopFromFactsAsync(DateOnly from, DateOnly to, string[] stores, bool byUnits)
    {
        await using var cmd = Db.CreateCommand($"""
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
