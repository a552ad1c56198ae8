using Npgsql;
using NpgsqlTypes;

namespace Retail.Data.Rollups;

/// <summary>
/// The channel, payment and loyalty mix alone, re-derived from the facts a month at a time (`retail rollups rebuild
/// --from-facts --only mix`): how a warehouse migrated across marts/122 (mix tables start empty) or marts/127 (no
/// loyalty parts yet) gets its mix without re-deriving every other rollup. The statements are the mix's part of the full re-derivation
/// (Sql/rollups/rederive_month_mix.sql), so there is one definition of the mix rollups in SQL.
/// </summary>
public static class MixRollups
{
    /// <summary>
    /// Re-derives the month's fine mix rollups (store and all-store rows) in one transaction, then rebuilds that month
    /// and its weeks: their signatures were current before, so nothing else would refill their empty mix rows.
    /// </summary>
    public static async Task RederiveFromFactsAsync(NpgsqlDataSource db, DateOnly month, CancellationToken ct)
    {
        month = RollupGrain.Month.Start(month);
        await using (var conn = await db.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            // The lock every re-derivation and rebuild of this month takes: never beside a forced reload of its batches.
            await PeriodRollups.LockAsync(conn, RollupGrain.Month, month, ct);
            foreach (var sql in RollupSql.RederiveMix)
            {
                await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
                cmd.Parameters.Add(new NpgsqlParameter { Value = month, NpgsqlDbType = NpgsqlDbType.Date });
                await cmd.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        await PeriodRollups.RebuildWithWeeksAsync(db, month, ct);
    }
}
