using Npgsql;
using NpgsqlTypes;

namespace Retail.Data.Rollups;

/// <summary>
/// The month and week rollups over published batches: rebuilt a period per transaction (delete + insert…select from
/// the fine rollups of the period's published batches) with the signature of those batches. A period whose signature
/// is not current is never read (the reader uses its fine rows instead), so a rebuild that is killed, or one that has
/// not run yet after a load or a publish, costs speed, never correctness.
/// </summary>
public static class PeriodRollups
{
    // Two rebuilds of one period (parallel publishes) queue instead of interleaving their deletes and inserts.
    private const int LockSpace = 0x524D; // "RM"

    /// <summary>Every table a month or week rebuild writes: the rollups and each grain's signature ledger.</summary>
    public static IReadOnlyList<string> Tables { get; } = [.. RollupGrains.All.SelectMany(g => RollupSql.For(g).Tables)];

    /// <summary>Months whose rollups are missing, out of date, or left over from batches no longer published.</summary>
    public static Task<IReadOnlyList<DateOnly>> StaleMonthsAsync(NpgsqlDataSource db, CancellationToken ct) =>
        StaleAsync(db, RollupGrain.Month, ct);

    /// <summary>Periods of the grain whose rollups are missing, out of date, or left over from batches no longer published.</summary>
    public static async Task<IReadOnlyList<DateOnly>> StaleAsync(NpgsqlDataSource db, RollupGrain grain, CancellationToken ct)
    {
        var periods = new List<DateOnly>();
        await using var cmd = db.CreateCommand(RollupSql.For(grain).Stale);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            periods.Add(r.GetFieldValue<DateOnly>(0));
        }
        return periods;
    }

    /// <summary>Rebuilds every stale month and week, a few at a time (each its own transaction); returns how many.</summary>
    public static async Task<int> RebuildStaleAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        var periods = new List<(RollupGrain, DateOnly)>();
        foreach (var grain in RollupGrains.All)
        {
            periods.AddRange((await StaleAsync(db, grain, ct)).Select(p => (grain, p)));
        }
        if (periods.Count > 0)
        {
            await FineRollups.RefreshAsync(db, ct);
        }
        // Periods of a grain are independent; a year's rebuild after a load is CPU-bound in the server, so use its cores.
        // Weeks first: a month reads its whole weeks from them.
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Clamp(Environment.ProcessorCount, 1, 4),
            CancellationToken = ct,
        };
        foreach (var grain in new[] { RollupGrain.Week, RollupGrain.Month })
        {
            await Parallel.ForEachAsync(periods.Where(p => p.Item1 == grain), parallel,
                (p, token) => new ValueTask(RebuildAsync(db, p.Item1, p.Item2, token)));
        }
        return periods.Count;
    }

    /// <summary>Rebuilds one month (any day of it) in one transaction.</summary>
    public static Task RebuildAsync(NpgsqlDataSource db, DateOnly month, CancellationToken ct) =>
        RebuildAsync(db, RollupGrain.Month, month, ct);

    /// <summary>Rebuilds one period (any day of it) in one transaction; a period with no published batch is emptied.</summary>
    public static async Task RebuildAsync(NpgsqlDataSource db, RollupGrain grain, DateOnly day, CancellationToken ct)
    {
        var start = grain.Start(day);
        var sql = RollupSql.For(grain);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await LockAsync(conn, grain, start, ct);
        int[] batches;
        await using (var cmd = new NpgsqlCommand(sql.Batches, conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = start, NpgsqlDbType = NpgsqlDbType.Date });
            batches = (int[])(await cmd.ExecuteScalarAsync(ct))!;
        }
        var (weeksFrom, weeksTo) = grain == RollupGrain.Month && batches.Length > 0
            ? await CurrentWeeksAsync(conn, start, batches, ct)
            : (start, start);
        await using (var batch = new NpgsqlBatch(conn) { Timeout = 0 })
        {
            foreach (var statement in sql.Rebuild)
            {
                var c = new NpgsqlBatchCommand(statement);
                c.Parameters.Add(new NpgsqlParameter { Value = start, NpgsqlDbType = NpgsqlDbType.Date });
                if (statement.Contains("$2", StringComparison.Ordinal))
                {
                    c.Parameters.Add(new NpgsqlParameter { Value = batches, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
                }
                if (statement.Contains("$3", StringComparison.Ordinal))
                {
                    c.Parameters.Add(new NpgsqlParameter { Value = weeksFrom, NpgsqlDbType = NpgsqlDbType.Date });
                    c.Parameters.Add(new NpgsqlParameter { Value = weeksTo, NpgsqlDbType = NpgsqlDbType.Date });
                }
                batch.BatchCommands.Add(c);
            }
            if (batches.Length == 0)
            {
                // Nothing published there any more: no rows, and no signature to compare.
                var forget = new NpgsqlBatchCommand(sql.Forget);
                forget.Parameters.Add(new NpgsqlParameter { Value = start, NpgsqlDbType = NpgsqlDbType.Date });
                batch.BatchCommands.Add(forget);
            }
            await batch.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// In a month's rebuild: locks its whole weeks (so none is rebuilt before the month commits) and returns the days
    /// [from, to) of the longest run of them whose week rollups hold exactly the month's batches that touch them.
    /// </summary>
    private static async Task<(DateOnly, DateOnly)> CurrentWeeksAsync(
        NpgsqlConnection conn, DateOnly month, int[] batches, CancellationToken ct)
    {
        var inside = MonthWeeks.Inside(month);
        if (inside.Count == 0)
        {
            return (month, month);
        }
        foreach (var week in inside)
        {
            await LockAsync(conn, RollupGrain.Week, week, ct);
        }
        var current = new List<DateOnly>();
        await using (var cmd = new NpgsqlCommand(RollupSql.CurrentMonthWeeks, conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = batches, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
            cmd.Parameters.Add(new NpgsqlParameter { Value = inside[0], NpgsqlDbType = NpgsqlDbType.Date });
            cmd.Parameters.Add(new NpgsqlParameter { Value = inside[^1], NpgsqlDbType = NpgsqlDbType.Date });
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                current.Add(r.GetFieldValue<DateOnly>(0));
            }
        }
        return MonthWeeks.LongestRun(current, month);
    }

    internal static async Task LockAsync(NpgsqlConnection conn, RollupGrain grain, DateOnly start, CancellationToken ct)
    {
        await using var lk = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1, $2)", conn);
        lk.Parameters.Add(new NpgsqlParameter { Value = LockSpace + (int)grain });
        lk.Parameters.Add(new NpgsqlParameter { Value = start.DayNumber });
        await lk.ExecuteNonQueryAsync(ct);
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
    /// loaded before a rollup gained a column), then its month rollups and the week rollups of the weeks it touches.
    /// </summary>
    public static async Task RederiveFromFactsAsync(NpgsqlDataSource db, DateOnly month, CancellationToken ct)
    {
        month = RollupGrain.Month.Start(month);
        await using (var conn = await db.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            // Not alongside a load of the same batches: a forced reload deleting rows while they are re-derived.
            await LockAsync(conn, RollupGrain.Month, month, ct);
            foreach (var sql in RollupSql.RederiveMonth)
            {
                await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
                cmd.Parameters.Add(new NpgsqlParameter { Value = month, NpgsqlDbType = NpgsqlDbType.Date });
                await cmd.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        await RebuildWithWeeksAsync(db, month, ct);
    }

    /// <summary>Rebuilds a month (any day of it) and every week that overlaps it.</summary>
    public static async Task RebuildWithWeeksAsync(NpgsqlDataSource db, DateOnly month, CancellationToken ct)
    {
        month = RollupGrain.Month.Start(month);
        // Fine rows just re-derived sit in unsummarized BRIN ranges, which every period's read would scan whole.
        await FineRollups.RefreshAsync(db, ct);
        // Weeks first: the month reads its whole weeks from them.
        for (var week = RollupGrain.Week.Start(month); week <= RollupGrain.Month.End(month); week = week.AddDays(7))
        {
            await RebuildAsync(db, RollupGrain.Week, week, ct);
        }
        await RebuildAsync(db, RollupGrain.Month, month, ct);
    }
}
