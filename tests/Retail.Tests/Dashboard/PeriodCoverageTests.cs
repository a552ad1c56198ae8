using Retail.Dashboard.State;
using Retail.Data.Queries;

namespace Retail.Tests.Dashboard;

/// <summary>"vs previous period" only when the whole previous period is in the warehouse.</summary>
public sealed class PeriodCoverageTests
{
    private static SalesFilter Range(string from, string to) => new(
        DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
        DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), [], []);

    [Theory]
    [InlineData("2025-12-02", "2025-12-31", "2025-09-01", true)]   // 30 days: previous 2 Nov–1 Dec, loaded
    [InlineData("2025-10-03", "2025-12-31", "2025-09-01", false)]  // 90 days: previous starts 5 Jul, before the first load
    [InlineData("2025-10-02", "2025-10-31", "2025-09-02", true)]   // previous starts exactly on the first loaded day
    [InlineData("2025-10-02", "2025-10-31", "2025-09-03", false)]  // one day short
    [InlineData("2025-01-01", "2025-12-31", "2024-06-01", false)]  // year to date with half of last year loaded
    public void Previous_period(string from, string to, string firstLoaded, bool expected)
    {
        var current = Range(from, to);
        Assert.Equal(expected, PeriodCoverage.IsFullyLoaded(
            current, current.Previous, DateOnly.Parse(firstLoaded, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Nothing_loaded_or_a_period_cut_at_the_start_of_the_calendar_is_not_fully_loaded()
    {
        var current = Range("2025-12-02", "2025-12-31");
        Assert.False(PeriodCoverage.IsFullyLoaded(current, current.Previous, null));
        var early = new SalesFilter(DateOnly.MinValue.AddDays(5), DateOnly.MinValue.AddDays(20), [], []);
        Assert.False(PeriodCoverage.IsFullyLoaded(early, early.Previous, DateOnly.MinValue));
    }

    [Fact]
    public void Picking_the_range_already_shown_is_no_change_and_a_new_one_is_custom()
    {
        var view = ViewQuery.Parse("http://x/?preset=30d&stores=HEN");
        var shown = Range("2025-12-02", "2025-12-31");
        Assert.Null(ViewQuery.PickedRange(view, shown, new DateTime(2025, 12, 2), new DateTime(2025, 12, 31)));
        Assert.Null(ViewQuery.PickedRange(view, shown, new DateTime(2025, 12, 2), null));
        var picked = ViewQuery.PickedRange(view, shown, new DateTime(2025, 12, 20), new DateTime(2025, 12, 10))!;
        Assert.Equal("?preset=custom&from=2025-12-10&to=2025-12-20&stores=HEN", picked.ToQueryString());
    }
}
