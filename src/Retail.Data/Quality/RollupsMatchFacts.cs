using Npgsql;
using NpgsqlTypes;
using Retail.Data.Rollups;

namespace Retail.Data.Quality;

/// <summary>
/// The rollups_match_facts check (#13): per day, what the dashboard reads (fine rollups of published batches, and
/// the month and week rollups where current) equals the facts. <see cref="CountSql"/> fits QualityChecks' "zero failing
/// rows" checks ($1 from, $2 to); <see cref="FailingDaysAsync"/> names the days and rollups for a report.
/// </summary>
public static class RollupsMatchFacts
{
    public const string Name = "rollups_match_facts";

    /// <summary>Rows: sale_date, rollup, one per failing day and rollup. Parameters: $1 from, $2 to.</summary>
    public static readonly string Sql = Warehouse.WarehouseSchema.Resource("quality/rollups_match_facts.sql")
        .Replace("/*month signatures*/", RollupSql.Month.Signatures, StringComparison.Ordinal)
        .Replace("/*week signatures*/", RollupSql.Week.Signatures, StringComparison.Ordinal);

    /// <summary>How many (day, rollup) pairs fail; 0 passes.</summary>
    public static readonly string CountSql = $"SELECT count(*) FROM ({Sql}) failing";

    /// <summary>The mix rollups' names in the check's rows (each also with " (all stores)").</summary>
    private static readonly string[] MixRollups = ["agg_mix_daily", "agg_month_mix", "agg_week_mix"];

    /// <summary>
    /// What repairs these failures: when only the channel, payment and loyalty mix differs (e.g. a warehouse migrated
    /// across marts/122, whose mix tables start empty, or 127, which adds the loyalty parts), re-deriving the mix alone, a
    /// fraction of re-deriving every rollup.
    /// </summary>
    public static string Repair(IReadOnlyList<(DateOnly Day, string Rollup)> failing) =>
        failing.Count > 0 && failing.All(f => MixRollups.Any(m => f.Rollup.StartsWith(m, StringComparison.Ordinal)))
            ? "retail rollups rebuild --from-facts --only mix"
            : "retail rollups rebuild --from-facts";

    public static async Task<IReadOnlyList<(DateOnly Day, string Rollup)>> FailingDaysAsync(NpgsqlDataSource db, DateOnly from,
        DateOnly to, CancellationToken ct)
    {
        var list = new List<(DateOnly, string)>();
        await using var cmd = db.CreateCommand(Sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.Date });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add((r.GetFieldValue<DateOnly>(0), r.GetString(1)));
        }
        return list;
    }
}
