using System.Collections.Concurrent;
using Npgsql;

namespace Retail.Data.Loading;

/// <summary>Monthly partitions of marts.fct_sales: known ones cached, missing ones created on demand.</summary>
internal sealed class PartitionManager(NpgsqlDataSource db)
{
    private const long PartitionLock = 0x5245_5441_494C_0002;
    private readonly ConcurrentDictionary<int, bool> _months = new();

    private static int MonthKey(DateOnly d) => (d.Year * 12) + d.Month - 1;

    public bool Has(DateOnly d) => _months.ContainsKey(MonthKey(d));

    public async Task RefreshAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT c.relname FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'marts.fct_sales'::regclass
            """);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            // fct_sales_pYYYY_MM
            var name = r.GetString(0);
            if (name.Length == 18 && int.TryParse(name.AsSpan(11, 4), out var y) && int.TryParse(name.AsSpan(16, 2), out var m))
            {
                _months[(y * 12) + m - 1] = true;
            }
        }
    }

    public async Task EnsureAsync(IEnumerable<DateOnly> dates, CancellationToken ct)
    {
        foreach (var d in dates.Where(d => !Has(d)).Select(d => new DateOnly(d.Year, d.Month, 1)).Distinct())
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using (var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PartitionLock})", conn))
            {
                await lockCmd.ExecuteNonQueryAsync(ct);
            }
            var next = d.AddMonths(1);
            await using (var create = new NpgsqlCommand(
                $"CREATE TABLE IF NOT EXISTS marts.fct_sales_p{d:yyyy_MM} PARTITION OF marts.fct_sales FOR VALUES FROM ('{d:yyyy-MM-dd}') "
                    + $"TO ('{next:yyyy-MM-dd}')", conn))
            {
                await create.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            _months[MonthKey(d)] = true;
        }
    }
}
