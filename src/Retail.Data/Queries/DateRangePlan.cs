namespace Retail.Data.Queries;

/// <summary>An inclusive range of days.</summary>
public readonly record struct DayRange(DateOnly From, DateOnly To);

/// <summary>
/// How a date range is read from the layered rollups: the whole months inside it whose month rollups are current,
/// and the remaining days (edges and stale months, merged where they touch) from the per-batch fine rollups.
/// Pure: which months are current is the caller's input.
/// </summary>
public sealed record DateRangePlan(IReadOnlyList<DateOnly> Months, IReadOnlyList<DayRange> Days)
{
    public static DateRangePlan Empty { get; } = new([], []);

    /// <param name="from">First day, inclusive.</param>
    /// <param name="to">Last day, inclusive; a range with to before from is empty.</param>
    /// <param name="currentMonths">First days of the months whose month rollups may be read.</param>
    public static DateRangePlan For(DateOnly from, DateOnly to, IReadOnlySet<DateOnly> currentMonths)
    {
        if (to < from)
        {
            return Empty;
        }
        var months = new List<DateOnly>();
        var days = new List<DayRange>();
        var cursor = from;
        while (cursor <= to)
        {
            var monthStart = new DateOnly(cursor.Year, cursor.Month, 1);
            var monthEnd = monthStart.AddDays(DateTime.DaysInMonth(cursor.Year, cursor.Month) - 1);
            var last = monthEnd < to ? monthEnd : to;
            if (cursor == monthStart && last == monthEnd && currentMonths.Contains(monthStart))
            {
                months.Add(monthStart);
            }
            else if (days.Count > 0 && days[^1].To.AddDays(1) == cursor)
            {
                days[^1] = days[^1] with { To = last };
            }
            else
            {
                days.Add(new DayRange(cursor, last));
            }
            if (last == DateOnly.MaxValue)
            {
                break;
            }
            cursor = last.AddDays(1);
        }
        return new DateRangePlan(months, days);
    }
}
