using Npgsql;
using NpgsqlTypes;

namespace Retail.Data.Queries;

/// <summary>The heatmap's drill-down: one weekday-hour cell's revenue by store and by category.</summary>
public sealed partial class SalesQueries
{
    private static readonly string HeatCellSql = QueryText("heat_cell");

    /// <summary>
    /// The cell (ISO weekday 1–7, hour 0–23) for the filter, over the same layers as the heatmap, so its store and category
    /// rows each add up to the heatmap's figure for that cell.
    /// </summary>
    public async Task<HeatCellDetail> GetHeatCellAsync(SalesFilter f, int isoDayOfWeek, int hour, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(isoDayOfWeek, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(isoDayOfWeek, 7);
        ArgumentOutOfRangeException.ThrowIfNegative(hour);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hour, 23);
        var plan = (await CurrentAsync(ct)).Plan(f.From, f.To).WithoutWeeks();
        await using var cmd = db.CreateCommand(Fill(HeatCellSql, plan, f));
        AddParameters(cmd.Parameters, f, plan);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (short)isoDayOfWeek, NpgsqlDbType = NpgsqlDbType.Smallint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (short)hour, NpgsqlDbType = NpgsqlDbType.Smallint });
        var stores = new List<NamedTotal>();
        var categories = new List<NamedTotal>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var row = new NamedTotal(r.GetString(2), r.GetInt64(3), 0) { Code = r.GetString(1) };
            (r.GetString(0) == "store" ? stores : categories).Add(row);
        }
        return new HeatCellDetail(isoDayOfWeek, hour, stores, categories) { Days = HeatCellDetail.CountWeekdays(f, isoDayOfWeek) };
    }
}

/// <summary>
/// One heatmap cell's revenue by store and by category; <see cref="Days"/> is how many of the range's dates fall on its weekday.
/// </summary>
public sealed record HeatCellDetail(int IsoDayOfWeek, int Hour, IReadOnlyList<NamedTotal> ByStore, IReadOnlyList<NamedTotal> ByCategory)
{
    public int Days { get; init; }

    public long RevenuePence => ByStore.Sum(s => s.RevenuePence);

    /// <summary>Average revenue of the hour per day of its weekday in the range (rounded to the penny), or null for none.</summary>
    public long? PerDayPence(long pence) => Days == 0 ? null : (long)Math.Round((decimal)pence / Days, MidpointRounding.AwayFromZero);

    /// <summary>Dates in the filter's range that fall on the ISO weekday (1 = Monday … 7 = Sunday).</summary>
    public static int CountWeekdays(SalesFilter f, int isoDayOfWeek)
    {
        if (f.Days == 0)
        {
            return 0;
        }
        var first = ((int)f.From.DayOfWeek + 6) % 7 + 1;
        var offset = (isoDayOfWeek - first + 7) % 7;
        return offset >= f.Days ? 0 : (f.Days - offset + 6) / 7;
    }
}
