namespace Retail.Data.Queries;

/// <summary>An inclusive range of days.</summary>
public readonly record struct DayRange(DateOnly From, DateOnly To);

/// <summary>
/// How a date range is read from the layered rollups: the whole months inside it whose month rollups are current,
/// then the whole ISO weeks (Monday to Sunday) of what is left whose week rollups are current, and the remaining
/// days (edges and stale periods, merged where they touch) from the per-batch fine rollups.
/// Pure: which months and weeks are current is the caller's input.
/// </summary>
public sealed record DateRangePlan(IReadOnlyList<DateOnly> Months, IReadOnlyList<DayRange> Days)
{
    private static readonly HashSet<DateOnly> None = [];

    public static DateRangePlan Empty { get; } = new([], []);

    /// <summary>Mondays of the whole weeks read from the week rollups.</summary>
    public IReadOnlyList<DateOnly> Weeks { get; init; } = [];

    /// <inheritdoc cref="For(DateOnly, DateOnly, IReadOnlySet{DateOnly}, IReadOnlySet{DateOnly})"/>
    public static DateRangePlan For(DateOnly from, DateOnly to, IReadOnlySet<DateOnly> currentMonths) => For(from, to, currentMonths, None);

    /// <param name="from">First day, inclusive.</param>
    /// <param name="to">Last day, inclusive; a range with to before from is empty.</param>
    /// <param name="currentMonths">First days of the months whose month rollups may be read.</param>
    /// <param name="currentWeeks">Mondays of the weeks whose week rollups may be read.</param>
    public static DateRangePlan For(DateOnly from, DateOnly to, IReadOnlySet<DateOnly> currentMonths, IReadOnlySet<DateOnly> currentWeeks)
    {
        var byMonth = ByMonth(from, to, currentMonths);
        if (currentWeeks.Count == 0 || byMonth.Days.Count == 0)
        {
            return byMonth;
        }
        var weeks = new List<DateOnly>();
        var days = new List<DayRange>();
        foreach (var range in byMonth.Days)
        {
            // Day numbers, so a range that ends at DateOnly.MaxValue never steps past it.
            var cursor = range.From.DayNumber;
            var end = range.To.DayNumber;
            while (cursor <= end)
            {
                var day = DateOnly.FromDayNumber(cursor);
                var monday = cursor - (((int)day.DayOfWeek + 6) % 7);
                if (monday == cursor && end - cursor >= 6 && currentWeeks.Contains(day))
                {
                    weeks.Add(day);
                    cursor += 7;
                    continue;
                }
                var last = Math.Min(end, monday + 6);
                Add(days, new DayRange(day, DateOnly.FromDayNumber(last)));
                cursor = last + 1;
            }
        }
        return new DateRangePlan(byMonth.Months, days) { Weeks = weeks };
    }

    /// <summary>
    /// The same range with its whole weeks read from the fine rollups instead, for a rollup that has no week layer (the
    /// heatmap's: a week of weekday-hour cells is as many rows as its days' fine rows, so it would save no reading).
    /// </summary>
    public DateRangePlan WithoutWeeks()
    {
        if (Weeks.Count == 0)
        {
            return this;
        }
        var days = new List<DayRange>();
        foreach (var range in Days.Concat(Weeks.Select(w => new DayRange(w, w.AddDays(6)))).OrderBy(r => r.From))
        {
            Add(days, range);
        }
        return new DateRangePlan(Months, days);
    }

    private static void Add(List<DayRange> days, DayRange range)
    {
        if (days.Count > 0 && days[^1].To.DayNumber + 1 == range.From.DayNumber)
        {
            days[^1] = days[^1] with { To = range.To };
        }
        else
        {
            days.Add(range);
        }
    }

    private static DateRangePlan ByMonth(DateOnly from, DateOnly to, IReadOnlySet<DateOnly> currentMonths)
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

/// <summary>The months and weeks whose coarse rollups are current (built from today's published batches).</summary>
public sealed record CurrentRollups(IReadOnlySet<DateOnly> Months, IReadOnlySet<DateOnly> Weeks)
{
    public static CurrentRollups None { get; } = new(new HashSet<DateOnly>(), new HashSet<DateOnly>());

    public DateRangePlan Plan(DateOnly from, DateOnly to) => DateRangePlan.For(from, to, Months, Weeks);
}
