namespace Retail.Data.Rollups;

/// <summary>The coarse rollup layers above the per-batch fine rollups: calendar months and ISO weeks.</summary>
public enum RollupGrain
{
    Month,
    Week,
}

public static class RollupGrains
{
    public static IReadOnlyList<RollupGrain> All { get; } = [RollupGrain.Month, RollupGrain.Week];

    /// <summary>The grain's name in SQL: its tables (agg_{name}_…), key column and date_trunc/interval unit.</summary>
    public static string SqlName(this RollupGrain grain) => grain == RollupGrain.Month ? "month" : "week";

    /// <summary>The first day of the period holding <paramref name="day"/> (for weeks, its Monday).</summary>
    public static DateOnly Start(this RollupGrain grain, DateOnly day) => grain == RollupGrain.Month
        ? new DateOnly(day.Year, day.Month, 1)
        : day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>The last day of the period starting at <paramref name="start"/>.</summary>
    public static DateOnly End(this RollupGrain grain, DateOnly start) => grain == RollupGrain.Month
        ? start.AddMonths(1).AddDays(-1)
        : start.AddDays(6);
}
