using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;

namespace Retail.Data.Loading;

/// <summary>A dimension member first seen in a file: its reserved key and attributes, upserted before the facts commit.</summary>
internal sealed record NewProduct(int Key, string Sku, string Name, short CategoryKey, string Subcategory, string Brand);

internal sealed record NewCustomer(int Key, string Id, string Name);

/// <summary>
/// In-memory natural key → surrogate key maps, loaded once per load and shared by the parallel file workers,
/// so validating a row never costs a round trip. New members get keys reserved from the dimension's sequence.
/// </summary>
internal sealed class DimensionCache : IDimensionLookup
{
    private readonly Dictionary<string, short>.AlternateLookup<ReadOnlySpan<char>> _stores;
    private readonly Dictionary<string, short>.AlternateLookup<ReadOnlySpan<char>> _categories;
    private readonly Dictionary<string, short>.AlternateLookup<ReadOnlySpan<char>> _payments;
    private readonly Dictionary<string, short>.AlternateLookup<ReadOnlySpan<char>> _channels;
    private readonly ConcurrentDictionary<string, (int Key, short Category)> _products;
    private readonly ConcurrentDictionary<string, (int Key, short Category)>.AlternateLookup<ReadOnlySpan<char>> _productLookup;
    private readonly CustomerKeys _customers;

    public IReadOnlyDictionary<short, string> StoreCodes { get; }

    private DimensionCache(Dictionary<string, short> stores, Dictionary<string, short> categories, Dictionary<string, short> payments,
        Dictionary<string, short> channels, ConcurrentDictionary<string, (int, short)> products, CustomerKeys customers)
    {
        _stores = stores.GetAlternateLookup<ReadOnlySpan<char>>();
        _categories = categories.GetAlternateLookup<ReadOnlySpan<char>>();
        _payments = payments.GetAlternateLookup<ReadOnlySpan<char>>();
        _channels = channels.GetAlternateLookup<ReadOnlySpan<char>>();
        _products = products;
        _productLookup = products.GetAlternateLookup<ReadOnlySpan<char>>();
        _customers = customers;
        StoreCodes = stores.ToDictionary(kv => kv.Value, kv => kv.Key);
    }

    public static async Task<DimensionCache> LoadAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return new DimensionCache(
            await Map(conn, "SELECT store_code, store_key FROM marts.dim_store", ct),
            await Map(conn, "SELECT category_name, category_key FROM marts.dim_category", ct),
            await Map(conn, "SELECT payment_method, payment_key FROM marts.dim_payment_method", ct),
            await Map(conn, "SELECT channel, channel_key FROM marts.dim_channel", ct),
            new ConcurrentDictionary<string, (int,
                short)>(await Pairs(conn, "SELECT sku, product_key, category_key FROM marts.dim_product",
                r => (r.GetInt32(1), r.GetInt16(2)), ct)),
            await CustomersAsync(conn, ct));
    }

    /// <summary>Streamed into the compact map: no intermediate list of millions of pairs.</summary>
    private static async Task<CustomerKeys> CustomersAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var keys = new CustomerKeys();
        await using var cmd = new NpgsqlCommand("SELECT customer_id, customer_key FROM marts.dim_customer WHERE customer_key <> 0", conn);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            keys.Set(r.GetString(0), r.GetInt32(1));
        }
        return keys;
    }

    private static async Task<Dictionary<string, short>> Map(NpgsqlConnection conn, string sql, CancellationToken ct) =>
        new(await Pairs(conn, sql, r => r.GetInt16(1), ct));

    private static async Task<List<KeyValuePair<string, T>>> Pairs<T>(NpgsqlConnection conn, string sql, Func<NpgsqlDataReader, T> value,
        CancellationToken ct)
    {
        var list = new List<KeyValuePair<string, T>>();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new(r.GetString(0), value(r)));
        }
        return list;
    }

    public bool Store(ReadOnlySpan<char> code, out short key) => _stores.TryGetValue(code, out key);
    public bool Category(ReadOnlySpan<char> name, out short key) => _categories.TryGetValue(name, out key);
    public bool Payment(ReadOnlySpan<char> name, out short key) => _payments.TryGetValue(name, out key);
    public bool Channel(ReadOnlySpan<char> name, out short key) => _channels.TryGetValue(name, out key);
    public bool Product(ReadOnlySpan<char> sku, out (int Key, short Category) p) => _productLookup.TryGetValue(sku, out p);
    public bool Customer(ReadOnlySpan<char> id, out int key) => _customers.TryGet(id, out key);

    /// <summary>Publishes members a committed batch created, so later files in this process find them.</summary>
    public void Remember(IEnumerable<NewProduct> products, IEnumerable<NewCustomer> customers)
    {
        foreach (var p in products)
        {
            _products[p.Sku] = (p.Key, p.CategoryKey);
        }
        foreach (var c in customers)
        {
            _customers.Set(c.Id, c.Key);
        }
    }
}

/// <summary>Hands out surrogate keys for new dimension members in blocks from the dimension's sequence.</summary>
internal sealed class KeyReserver(NpgsqlDataSource db, string sequence) : IKeySource
{
    private readonly Queue<int> _keys = new();

    /// <summary>A block of fresh keys in one round trip (the dimension preload asks for all it needs at once).</summary>
    public static async Task<int[]> ReserveAsync(NpgsqlDataSource db, string sequence, int count, CancellationToken ct)
    {
        var keys = new List<int>(count);
        await using var cmd = db.CreateCommand($"SELECT nextval('{sequence}')::int FROM generate_series(1, $1)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = count });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            keys.Add(r.GetInt32(0));
        }
        return keys.ToArray();
    }

    public int Next()
    {
        if (_keys.Count == 0)
        {
            // Called from the synchronous row loop; a rare round trip (once per 256 new members).
            using var cmd = db.CreateCommand($"SELECT nextval('{sequence}')::int FROM generate_series(1, 256)");
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                _keys.Enqueue(r.GetInt32(0));
            }
        }
        return _keys.Dequeue();
    }
}

/// <summary>Upserts new members outside the fact transaction, and reports the keys that won when another loader raced us.</summary>
internal static class DimensionWriter
{
    public static async Task<Dictionary<int, int>> UpsertProductsAsync(NpgsqlDataSource db, IReadOnlyCollection<NewProduct> products,
        CancellationToken ct)
    {
        if (products.Count == 0)
        {
            return [];
        }
        var sorted = products.OrderBy(p => p.Sku, StringComparer.Ordinal).ToArray();
        await using var cmd = db.CreateCommand("""
            INSERT INTO marts.dim_product (product_key, sku, product_name, category_key, subcategory, brand)
            SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::smallint[], $5::text[], $6::text[])
            ON CONFLICT (sku) DO NOTHING
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(p => p.Key).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(p => p.Sku).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(p => p.Name).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(p => p.CategoryKey).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(p => p.Subcategory).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(p => p.Brand).ToArray() });
        await cmd.ExecuteNonQueryAsync(ct);
        return await Winners(db, "SELECT sku, product_key FROM marts.dim_product WHERE sku = ANY($1)",
            sorted.ToDictionary(p => p.Sku, p => p.Key), ct);
    }

    public static async Task<Dictionary<int, int>> UpsertCustomersAsync(NpgsqlDataSource db, IReadOnlyCollection<NewCustomer> customers,
        CancellationToken ct)
    {
        if (customers.Count == 0)
        {
            return [];
        }
        var sorted = customers.OrderBy(c => c.Id, StringComparer.Ordinal).ToArray();
        await using var cmd = db.CreateCommand("""
            INSERT INTO marts.dim_customer (customer_key, customer_id, customer_name)
            SELECT * FROM unnest($1::int[], $2::text[], $3::text[])
            ON CONFLICT (customer_id) DO NOTHING
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(c => c.Key).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(c => c.Id).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = sorted.Select(c => c.Name).ToArray() });
        await cmd.ExecuteNonQueryAsync(ct);
        return await Winners(db, "SELECT customer_id, customer_key FROM marts.dim_customer WHERE customer_id = ANY($1)",
            sorted.ToDictionary(c => c.Id, c => c.Key), ct);
    }

    /// <summary>Reserved key → the key actually stored, only where they differ (another loader inserted first).</summary>
    private static async Task<Dictionary<int, int>> Winners(NpgsqlDataSource db, string sql, Dictionary<string, int> reserved,
        CancellationToken ct)
    {
        var remap = new Dictionary<int, int>();
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = reserved.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var mine = reserved[r.GetString(0)];
            var stored = r.GetInt32(1);
            if (mine != stored)
            {
                remap[mine] = stored;
            }
        }
        return remap;
    }
}
