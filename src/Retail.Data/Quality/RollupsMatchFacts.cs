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
