using Retail.Data.Queries;
using Retail.Data.Rollups;

namespace Retail.UnitTests.Rollups;

public sealed class WeekPlanTests
{
    private static DateOnly D(int month, int day) => new(2025, month, day);

    private static HashSet<DateOnly> AllMondays(int year) =>
        Enumerable.Range(0, 371).Select(i => new DateOnly(year, 1, 1).AddDays(i - 7))
            .Where(d => d.DayOfWeek == DayOfWeek.Monday).ToHashSet();

    [Fact]
    public void The_edges_of_a_range_are_read_as_whole_current_weeks_and_at_most_six_days_a_side()
    {
        // 2 Dec (Tue) – 31 Dec (Wed) 2025, December's month rollup stale: weeks 8, 15, 22 Dec, then days.
        var plan = DateRangePlan.For(D(12, 2), D(12, 31), new HashSet<DateOnly>(), AllMondays(2025));
        Assert.Empty(plan.Months);
        Assert.Equal([D(12, 8), D(12, 15), D(12, 22)], plan.Weeks);
        Assert.Equal([new DayRange(D(12, 2), D(12, 7)), new DayRange(D(12, 29), D(12, 31))], plan.Days);
    }

    [Fact]
    public void Whole_months_come_first_and_weeks_fill_only_the_edges_outside_them()
    {
        var plan = DateRangePlan.For(D(1, 15), D(3, 20), new HashSet<DateOnly> { D(2, 1) }, AllMondays(2025));
        Assert.Equal([D(2, 1)], plan.Months);
        // 15 Jan is a Wednesday: 15–19 Jan as days; the week of 27 Jan runs into February, and 20 Mar is a Thursday.
        Assert.Equal([D(1, 20), D(3, 3), D(3, 10)], plan.Weeks);
        Assert.Equal(
            [
                new DayRange(D(1, 15), D(1, 19)), new DayRange(D(1, 27), D(1, 31)),
                new DayRange(D(3, 1), D(3, 2)), new DayRange(D(3, 17), D(3, 20)),
            ],
            plan.Days);
    }

    [Fact]
    public void A_week_not_current_is_read_as_days_and_the_plan_covers_every_day_exactly_once()
    {
        var weeks = AllMondays(2025);
        weeks.Remove(D(6, 9));
        var months = new HashSet<DateOnly> { D(4, 1), D(7, 1) };
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var from = D(1, 1).AddDays(random.Next(365));
            var to = from.AddDays(random.Next(120));
            var plan = DateRangePlan.For(from, to, months, weeks);
            var covered = plan.Months.SelectMany(m => Days(m, RollupGrain.Month.End(m)))
                .Concat(plan.Weeks.SelectMany(w => Days(w, w.AddDays(6))))
                .Concat(plan.Days.SelectMany(r => Days(r.From, r.To)))
                .ToList();
            Assert.Equal(Days(from, to), covered.Order());
            Assert.DoesNotContain(D(6, 9), plan.Weeks);
            Assert.All(plan.Weeks, w => Assert.Equal(DayOfWeek.Monday, w.DayOfWeek));
        }
    }

    [Fact]
    public void Without_weeks_the_whole_weeks_become_fine_days_merged_with_the_edges_and_months_stay()
    {
        var plan = DateRangePlan.For(D(1, 15), D(3, 20), new HashSet<DateOnly> { D(2, 1) }, AllMondays(2025)).WithoutWeeks();
        Assert.Equal([D(2, 1)], plan.Months);
        Assert.Empty(plan.Weeks);
        Assert.Equal([new DayRange(D(1, 15), D(1, 31)), new DayRange(D(3, 1), D(3, 20))], plan.Days);
        var random = new Random(11);
        for (var i = 0; i < 300; i++)
        {
            var from = D(1, 1).AddDays(random.Next(365));
            var to = from.AddDays(random.Next(120));
            var withWeeks = DateRangePlan.For(from, to, new HashSet<DateOnly> { D(4, 1) }, AllMondays(2025));
            var without = withWeeks.WithoutWeeks();
            var covered = without.Months.SelectMany(m => Days(m, RollupGrain.Month.End(m)))
                .Concat(without.Days.SelectMany(r => Days(r.From, r.To)));
            Assert.Equal(Days(from, to), covered.Order());
            Assert.Equal(withWeeks.Months, without.Months);
            // Touching ranges are merged, so the fine part is as few BETWEENs as the months allow.
            Assert.All(without.Days.Zip(without.Days.Skip(1)), p => Assert.True(p.Second.From.DayNumber > p.First.To.DayNumber + 1));
        }
    }

    [Fact]
    public void A_range_ending_at_the_last_representable_day_does_not_overflow()
    {
        var plan = DateRangePlan.For(DateOnly.MaxValue.AddDays(-20), DateOnly.MaxValue, new HashSet<DateOnly>(), AllMondays(2025));
        Assert.Equal(21, plan.Days.Sum(r => r.To.DayNumber - r.From.DayNumber + 1));
    }

    [Fact]
    public void A_months_whole_weeks_and_the_longest_run_of_current_ones()
    {
        Assert.Equal([D(10, 6), D(10, 13), D(10, 20)], MonthWeeks.Inside(D(10, 1)));
        Assert.Equal([D(12, 1), D(12, 8), D(12, 15), D(12, 22)], MonthWeeks.Inside(D(12, 1)));
        Assert.Equal(4, MonthWeeks.Inside(new DateOnly(2021, 2, 1)).Count); // a February from Monday to Sunday
        var none = D(10, 1);
        Assert.Equal((none, none), MonthWeeks.LongestRun([], none));
        Assert.Equal((D(10, 6), D(10, 27)), MonthWeeks.LongestRun([D(10, 6), D(10, 13), D(10, 20)], none));
        Assert.Equal((D(10, 6), D(10, 13)), MonthWeeks.LongestRun([D(10, 6), D(10, 20)], none));
        Assert.Equal((D(12, 8), D(12, 29)), MonthWeeks.LongestRun([D(12, 8), D(12, 15), D(12, 22)], none));
        Assert.Equal((D(12, 15), D(12, 29)), MonthWeeks.LongestRun([D(12, 1), D(12, 15), D(12, 22)], none));
    }

    [Fact]
    public void Week_starts_are_iso_mondays()
    {
        Assert.Equal(D(12, 29), RollupGrain.Week.Start(new DateOnly(2026, 1, 4)));
        Assert.Equal(D(12, 29), RollupGrain.Week.Start(D(12, 29)));
        Assert.Equal(D(12, 1), RollupGrain.Month.Start(D(12, 31)));
    }

    private static List<DateOnly> Days(DateOnly from, DateOnly to) =>
        Enumerable.Range(0, to.DayNumber - from.DayNumber + 1).Select(from.AddDays).ToList();
}
