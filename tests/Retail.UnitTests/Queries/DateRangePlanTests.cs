using Retail.Data.Queries;
using Retail.Data.Rollups;

namespace Retail.UnitTests.Queries;

/// <summary>Pure: how a range splits into current whole months and fine day ranges; the category mask's bits.</summary>
public sealed class DateRangePlanTests
{
    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    private static HashSet<DateOnly> Months(params string[] m) => m.Select(D).ToHashSet();

    [Fact]
    public void Whole_current_months_are_read_coarse_and_the_edges_fine()
    {
        var plan = DateRangePlan.For(D("2025-01-15"), D("2025-04-10"), Months("2025-02-01", "2025-03-01", "2025-04-01"));
        Assert.Equal([D("2025-02-01"), D("2025-03-01")], plan.Months);
        Assert.Equal([new DayRange(D("2025-01-15"), D("2025-01-31")), new DayRange(D("2025-04-01"), D("2025-04-10"))], plan.Days);
    }

    [Fact]
    public void A_stale_month_is_read_fine_and_merges_with_the_edges_it_touches()
    {
        var plan = DateRangePlan.For(D("2025-01-15"), D("2025-04-30"), Months("2025-03-01", "2025-04-01"));
        Assert.Equal([D("2025-03-01"), D("2025-04-01")], plan.Months);
        Assert.Equal([new DayRange(D("2025-01-15"), D("2025-02-28"))], plan.Days);
    }

    [Fact]
    public void Exactly_one_whole_month_and_leap_february()
    {
        Assert.Equal(
            new DateRangePlan([D("2024-02-01")], []).Months,
            DateRangePlan.For(D("2024-02-01"), D("2024-02-29"), Months("2024-02-01")).Months);
        Assert.Empty(DateRangePlan.For(D("2024-02-01"), D("2024-02-29"), Months("2024-02-01")).Days);
        var partial = DateRangePlan.For(D("2024-02-01"), D("2024-02-28"), Months("2024-02-01"));
        Assert.Empty(partial.Months);
        Assert.Equal([new DayRange(D("2024-02-01"), D("2024-02-28"))], partial.Days);
    }

    [Fact]
    public void Empty_and_single_day_ranges_and_the_calendar_ends()
    {
        Assert.Same(DateRangePlan.Empty, DateRangePlan.For(D("2025-02-02"), D("2025-02-01"), Months()));
        Assert.Equal(
            [new DayRange(D("2025-12-25"), D("2025-12-25"))],
            DateRangePlan.For(D("2025-12-25"), D("2025-12-25"), Months("2025-12-01")).Days);
        var end = DateRangePlan.For(D("9999-12-01"), DateOnly.MaxValue, Months("9999-12-01"));
        Assert.Equal([D("9999-12-01")], end.Months);
        Assert.Equal(
            [new DayRange(DateOnly.MinValue, D("0001-01-31"))],
            DateRangePlan.For(DateOnly.MinValue, D("0001-01-31"), Months()).Days);
    }

    [Fact]
    public void Random_ranges_cover_every_day_exactly_once()
    {
        var rng = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var from = D("2024-01-01").AddDays(rng.Next(800));
            var to = from.AddDays(rng.Next(-3, 400));
            var current = Enumerable.Range(0, 30).Where(_ => rng.Next(3) > 0).Select(m => D("2024-01-01").AddMonths(m)).ToHashSet();
            var plan = DateRangePlan.For(from, to, current);
            var days = plan.Months.SelectMany(m => Enumerable.Range(0, DateTime.DaysInMonth(m.Year, m.Month)).Select(m.AddDays))
                .Concat(plan.Days.SelectMany(r => Enumerable.Range(0, r.To.DayNumber - r.From.DayNumber + 1).Select(r.From.AddDays)))
                .Order().ToList();
            var expected = Enumerable.Range(0, Math.Max(0, to.DayNumber - from.DayNumber + 1)).Select(from.AddDays).ToList();
            Assert.Equal(expected, days);
            Assert.All(plan.Months, m => Assert.Contains(m, current));
            // Fine ranges never touch each other (they would have been merged).
            Assert.All(plan.Days.Zip(plan.Days.Skip(1)), p => Assert.True(p.First.To.AddDays(1) < p.Second.From));
        }
    }

    [Fact]
    public void The_category_mask_refuses_keys_without_a_bit_instead_of_folding_them()
    {
        Assert.Equal(1 << 5 | 1 << 31, CategoryMask.Of([5, 31]));
        Assert.Equal(-1, CategoryMask.Of([]));
        // Before: key & 31 put category 32 on category 0's bit, so "receipts with category 0" counted category 32's.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => CategoryMask.Bit(32));
        Assert.Contains("wider mask", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => CategoryMask.Bit(-1));
    }
}
