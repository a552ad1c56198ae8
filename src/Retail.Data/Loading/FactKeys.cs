using Npgsql;
using NpgsqlTypes;

namespace Retail.Data.Loading;

/// <summary>The fact keys a batch meets: those already stored for its dates, and the remap after an upsert race.</summary>
internal static class FactKeys
{
    private static readonly string Remap = Warehouse.WarehouseSchema.Resource("loading/remap_facts.sql");

    /// <summary>The slow path after a duplicate-key error: every (transaction, line) already stored for these dates.</summary>
    public static async Task<FactKeySet> ExistingAsync(NpgsqlConnection conn, IReadOnlyCollection<DateOnly> dates,
        CancellationToken ct)
    {
        var keys = new FactKeySet();
        await using var cmd = new NpgsqlCommand("SELECT transaction_id, line_no FROM marts.fct_sales WHERE sale_date = ANY($1)", conn)
        {
            Parameters = { new() { Value = dates.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date } },
        };
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            keys.Add(r.GetInt64(0), r.GetInt16(1));
        }
        return keys;
    }

    /// <summary>
    /// The sale dates a file holds (a quick scan of one column): only for a file the dimension pass could not read,
    /// which normally fails its own load the same way.
    /// </summary>
    public static HashSet<DateOnly> FileDates(string path)
    {
        var dates = new HashSet<DateOnly>();
        using var text = StagingFile.OpenText(path);
        using var reader = StagingCsv.Open(path, text);
        foreach (var r in reader)
        {
            if (r.ColCount > Col.SoldAt && FieldParser.Timestamp(r[Col.SoldAt].Span, out var d, out _, out _))
            {
                dates.Add(d);
            }
        }
        return dates;
    }

    /// <summary>Points this batch's facts at the keys that won an upsert race: one set-based UPDATE per dimension.</summary>
    public static async Task RemapAsync(NpgsqlConnection conn, int batchId, DateOnly from, DateOnly to,
        Dictionary<int, int> products, Dictionary<int, int> customers, CancellationToken ct)
    {
        foreach (var (column, map) in new[] { ("product_key", products), ("customer_key", customers) })
        {
            if (map.Count == 0)
            {
                continue;
            }
            await using var cmd = new NpgsqlCommand(Remap.Replace("{column}", column, StringComparison.Ordinal), conn);
            cmd.Parameters.Add(new NpgsqlParameter { Value = map.Keys.ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = map.Values.ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.Date });
            cmd.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.Date });
            cmd.Parameters.Add(new NpgsqlParameter { Value = batchId });
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}
