using Npgsql;
using NpgsqlTypes;

namespace Retail.Data.Rollups;

/// <summary>
/// The month rollups over published batches: rebuilt a month per transaction (delete + insert…select from the fine
/// rollups of the month's published batches) with the signature of those batches. A month whose signature is not
/// current is never read (the reader uses its fine rows instead), so a rebuild that is killed, or one that has not
/// run yet after a load or a publish, costs speed, never correctness.
/// </summary>
public static class MonthRollups
{
    // Two rebuilds of one month (parallel publishes) queue instead of interleaving their deletes and inserts.
    private const int LockSpace = 0x524D; // "RM"

    /// <summary>Months whose rollups are missing, out of date, or left over from batches no longer published.</summary>
    public static async Task<IReadOnlyList<DateOnly>> StaleMonthsAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        var months = new List<DateOnly>();
        await using var cmd = db.CreateCommand(RollupSql.StaleMonths);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            months.Add(r.GetFieldValue<DateOnly>(0));
        }
        return months;
    }

    /// <summary>Rebuilds every stale month, a few at a time (each its own transaction); returns how many.</summary>
    public static async Task<int> RebuildStaleAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        var months = await StaleMonthsAsync(db, ct);
        // Months are independent; a year's rebuild after a load is CPU-bound in the server, so use its cores.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Clamp(Environment.ProcessorCount, 1, 4), CancellationToken = ct };
        await Parallel.ForEachAsync(months, parallel, (month, token) => new ValueTask(RebuildAsync(db, month, token)));
        return months.Count;
    }

    /// <summary>Rebuilds one month (its first day) in one transaction; a month with no published batch is emptied.</summary>
    public static async Task RebuildAsync(NpgsqlDataSource db, DateOnly month, CancellationToken ct)
    {
        month = new DateOnly(month.Year, month.Month, 1);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var lk = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1, $2)", conn))
        {
            lk.Parameters.Add(new NpgsqlParameter { Value = LockSpace });
            lk.Parameters.Add(new NpgsqlParameter { Value = (month.Year * 12) + month.Month });
            await lk.ExecuteNonQueryAsync(ct);
        }
        int[] batches;
        await using (var cmd = new NpgsqlCommand(RollupSql.MonthBatches, conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = month, NpgsqlDbType = NpgsqlDbType.Date });
            batches = (int[])(await cmd.ExecuteScalarAsync(ct))!;
        }
        await using (var batch = new NpgsqlBatch(conn) { Timeout = 0 })
        {
            foreach (var sql in RollupSql.RebuildMonth)
            {
                var c = new NpgsqlBatchCommand(sql);
                c.Parameters.Add(new NpgsqlParameter { Value = month, NpgsqlDbType = NpgsqlDbType.Date });
                if (sql.Contains("$2", StringComparison.Ordinal))
                {
                    c.Parameters.Add(new NpgsqlParameter { Value = batches, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
                }
                batch.BatchCommands.Add(c);
            }
            if (batches.Length == 0)
            {
                // Nothing published there any more: no rows, and no signature to compare.
                var forget = new NpgsqlBatchCommand("DELETE FROM marts.rollup_months WHERE month = $1");
                forget.Parameters.Add(new NpgsqlParameter { Value = month, NpgsqlDbType = NpgsqlDbType.Date });
                batch.BatchCommands.Add(forget);
            }
            await batch.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Months that hold loaded facts (published or not), oldest first.</summary>
    public static async Task<IReadOnlyList<DateOnly>> FactMonthsAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        var months = new List<DateOnly>();
        await using var cmd = db.CreateCommand("""
            SELECT DISTINCT g.m::date FROM ops.load_batches b
            CROSS JOIN LATERAL generate_series(date_trunc('month', b.min_sale_date), b.max_sale_date, interval '1 month') AS g(m)
            WHERE b.status = 'loaded' AND b.min_sale_date IS NOT NULL
            ORDER BY 1
            """);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            months.Add(r.GetFieldValue<DateOnly>(0));
        }
        return months;
    }

    /// <summary>
    /// Re-derives a month's per-batch fine rollups from fct_sales, set-based, in one transaction (for warehouses
    /// loaded before a rollup gained a column), and then its month rollups.
    /// </summary>
    public static async Task RederiveFromFactsAsync(NpgsqlDataSource db, DateOnly month, CancellationToken ct)
    {
        month = new DateOnly(month.Year, month.Month, 1);
        await using (var conn = await db.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            // Not alongside a load of the same batches: a forced reload deleting rows while they are re-derived.
            await using (var lk = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1, $2)", conn))
            {
                lk.Parameters.Add(new NpgsqlParameter { Value = LockSpace });
                lk.Parameters.Add(new NpgsqlParameter { Value = (month.Year * 12) + month.Month });
                await lk.ExecuteNonQueryAsync(ct);
            }
            foreach (var sql in RollupSql.RederiveMonth)
            {
                await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
                cmd.Parameters.Add(new NpgsqlParameter { Value = month, NpgsqlDbType = NpgsqlDbType.Date });
                await cmd.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        await RebuildAsync(db, month, ct);
    }
}
