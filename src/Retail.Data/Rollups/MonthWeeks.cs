namespace Retail.Data.Rollups;

/// <summary>
/// Pure: the whole ISO weeks inside a month, and which of them a month's rebuild reads from the week rollups. The
/// rebuild excludes one span of days from its fine rows, so it uses the longest run of consecutive current weeks.
/// </summary>
public static class MonthWeeks
{
    /// <summary>Mondays of the weeks that lie wholly inside the month starting <paramref name="month"/>.</summary>
    public static IReadOnlyList<DateOnly> Inside(DateOnly month)
    {
        var end = RollupGrain.Month.End(month);
        var monday = RollupGrain.Week.Start(month);
        if (monday < month)
        {
            monday = monday.AddDays(7);
        }
        var weeks = new List<DateOnly>();
        for (; monday.AddDays(6) <= end; monday = monday.AddDays(7))
        {
            weeks.Add(monday);
        }
        return weeks;
    }

    /// <summary>
    /// The days [From, To) covered by the longest run of consecutive weeks among <paramref name="current"/> (Mondays,
    /// ascending; the earliest run on a tie); From = To when there is none.
    /// </summary>
    public static (DateOnly From, DateOnly To) LongestRun(IReadOnlyList<DateOnly> current, DateOnly none)
    {
        (DateOnly From, DateOnly To) best = (none, none);
        var i = 0;
        while (i < current.Count)
        {
            var j = i;
            while (j + 1 < current.Count && current[j + 1] == current[j].AddDays(7))
            {
                j++;
            }
            var run = (current[i], current[j].AddDays(7));
            if (run.Item2.DayNumber - run.Item1.DayNumber > best.To.DayNumber - best.From.DayNumber)
            {
                best = run;
            }
            i = j + 1;
        }
        return best;
    }
}
