using System.Collections.Concurrent;
using nietras.SeparatedValues;
using Npgsql;
using NpgsqlTypes;
using Retail.Core.Formats;

namespace Retail.Data.Loading;

/// <summary>
/// Dimensions before facts: one quick parallel pass over the files still to load collects the SKUs and customers the
/// warehouse does not know, and each dimension gets them in one sorted upsert. The fact loads then find every key in
/// memory, so parallel files no longer race to create the same members (the per-file path remains as a fallback).
/// A member seen only on a row that is later rejected for another reason still enters its dimension; dimensions may
/// hold members without facts.
/// </summary>
internal static class DimensionPreload
{
    public static async Task RunAsync(NpgsqlDataSource db, DimensionCache dims, IReadOnlyList<string> files, int parallelism, CancellationToken ct)
    {
        var products = new ConcurrentDictionary<string, (string Name, short Category, string Subcategory, string Brand)>(StringComparer.Ordinal);
        var customers = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = ct },
            (file, token) =>
            {
                Scan(file, dims, products, customers, token);
                return ValueTask.CompletedTask;
            });
        if (!products.IsEmpty)
        {
            var sorted = products.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
            await using var cmd = db.CreateCommand("""
                INSERT INTO marts.dim_product (product_key, sku, product_name, category_key, subcategory, brand)
                SELECT nextval('marts.dim_product_key_seq'), u.* FROM unnest($1::text[], $2::text[], $3::smallint[], $4::text[], $5::text[]) AS u
                ORDER BY 2
                ON CONFLICT (sku) DO NOTHING
                """);
            cmd.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(p => p.Key).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(p => p.Value.Name).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(p => p.Value.Category).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(p => p.Value.Subcategory).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(p => p.Value.Brand).ToArray() });
            await cmd.ExecuteNonQueryAsync(ct);
            dims.Remember(await ReadAsync(db, "SELECT sku, product_key, category_key FROM marts.dim_product WHERE sku = ANY($1)", products.Keys.ToArray(),
                r => new NewProduct(r.GetInt32(1), r.GetString(0), "", r.GetInt16(2), "", ""), ct), []);
        }
        if (!customers.IsEmpty)
        {
            var sorted = customers.OrderBy(c => c.Key, StringComparer.Ordinal).ToArray();
            await using var cmd = db.CreateCommand("""
                INSERT INTO marts.dim_customer (customer_key, customer_id, customer_name)
                SELECT nextval('marts.dim_customer_key_seq'), u.* FROM unnest($1::text[], $2::text[]) AS u
                ORDER BY 2
                ON CONFLICT (customer_id) DO NOTHING
                """);
            cmd.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(c => c.Key).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(c => c.Value).ToArray() });
            await cmd.ExecuteNonQueryAsync(ct);
            dims.Remember([], await ReadAsync(db, "SELECT customer_id, customer_key FROM marts.dim_customer WHERE customer_id = ANY($1)", customers.Keys.ToArray(),
                r => new NewCustomer(r.GetInt32(1), r.GetString(0), ""), ct));
        }
    }

    /// <summary>Only cheap checks: rows the loader will certainly reject (wrong shape, bad encoding, unknown store or category) add nothing.</summary>
    private static void Scan(string file, DimensionCache dims, ConcurrentDictionary<string, (string, short, string, string)> products, ConcurrentDictionary<string, string> customers, CancellationToken ct)
    {
        using var stream = SalesFileLoader.OpenText(file);
        if (stream.Length == 0)
        {
            return;
        }
        using var reader = Sep.Reader(o => o with { Unescape = true, DisableColCountCheck = true, HasHeader = true }).From(stream);
        if (!reader.Header.ColNames.SequenceEqual(SalesCsv.Columns))
        {
            return; // the load reports the wrong header
        }
        foreach (var r in reader)
        {
            if (r.ColCount != Col.Count || r.Span.Contains('\uFFFD') || !dims.Store(r[Col.StoreCode].Span, out _) || !dims.Category(r[Col.Category].Span, out var category))
            {
                continue;
            }
            var sku = r[Col.Sku].Span;
            if (!sku.IsEmpty && r[Col.ProductName].Span.Length > 0 && !dims.Product(sku, out _))
            {
                products.TryAdd(sku.ToString(), (r[Col.ProductName].ToString(), category, r[Col.Subcategory].ToString(), r[Col.Brand].ToString()));
            }
            var customer = r[Col.CustomerId].Span;
            if (!customer.IsEmpty && !dims.Customer(customer, out _))
            {
                customers.TryAdd(customer.ToString(), r[Col.CustomerName].ToString());
            }
            if ((r.RowIndex & 0x3FFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }
        }
    }

    private static async Task<List<T>> ReadAsync<T>(NpgsqlDataSource db, string sql, string[] keys, Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        var list = new List<T>();
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(map(r));
        }
        return list;
    }
}
