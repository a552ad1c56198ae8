using Retail.Dashboard.State;
using Retail.Data.Queries;

namespace Retail.Tests.Dashboard;

/// <summary>The heatmap cell in the URL and the weekday count its per-day average divides by (pure, no database).</summary>
public sealed class HeatCellTests
{
    [Theory]
    [InlineData("5-14", 5, 14)]
    [InlineData("1-0", 1, 0)]
    [InlineData("7-23", 7, 23)]
    [InlineData("3-07", 3, 7)]
    public void A_cell_parses_from_weekday_and_hour(string text, int day, int hour) =>
        Assert.Equal(new HeatCellKey(day, hour), HeatCellKey.Parse(text));

    [Theory]
    [InlineData("0-10")]
    [InlineData("8-10")]
    [InlineData("5-24")]
    [InlineData("5--1")]
    [InlineData("+5-14")]
    [InlineData("5-14-1")]
    [InlineData("5-014")]
    [InlineData("5")]
    [InlineData("")]
    [InlineData("a-b")]
    public void Anything_else_is_not_a_cell(string text) => Assert.Null(HeatCellKey.Parse(text));

    [Fact]
    public void The_cell_round_trips_through_the_URL_and_a_bad_one_is_a_problem()
    {
        var query = ViewQuery.Parse("http://x/?preset=7d&stores=BAR&cell=6-9");
        Assert.Equal(new HeatCellKey(6, 9), query.Cell);
        Assert.Equal("?preset=7d&stores=BAR&cell=6-9", query.ToQueryString());
        Assert.Equal(query.ToQueryString(), ViewQuery.Parse("http://x/" + query.ToQueryString()).ToQueryString());
        Assert.Equal("?preset=7d&stores=BAR", (query with { Cell = null }).ToQueryString());

        var bad = ViewQuery.Parse("http://x/?cell=9-99");
        Assert.Null(bad.Cell);
        Assert.Contains(bad.Problems, p => p.Contains("cell='9-99' is not a heatmap cell", StringComparison.Ordinal));
    }

    [Fact]
    public void Weekdays_in_a_range_are_counted_for_every_start_day_and_length()
    {
        // Against counting day by day, for every weekday, start day of the week and lengths 0 to 40 days.
        for (var start = new DateOnly(2025, 9, 1); start < new DateOnly(2025, 9, 8); start = start.AddDays(1))
        {
            for (var length = 0; length <= 40; length++)
            {
                var filter = new SalesFilter(start, start.AddDays(length - 1), [], []);
                for (var dow = 1; dow <= 7; dow++)
                {
                    var expected = Enumerable.Range(0, length).Count(i => ((int)start.AddDays(i).DayOfWeek + 6) % 7 + 1 == dow);
                    Assert.Equal(expected, HeatCellDetail.CountWeekdays(filter, dow));
                }
            }
        }
    }

    [Fact]
    public void The_average_per_day_rounds_to_the_penny_and_is_none_without_days()
    {
        var detail = new HeatCellDetail(5, 14, [], []) { Days = 3 };
        Assert.Equal(33_334, detail.PerDayPence(100_001));
        Assert.Equal(33_333, detail.PerDayPence(99_999));
        Assert.Equal(-33_334, detail.PerDayPence(-100_001));
        Assert.Null((detail with { Days = 0 }).PerDayPence(100));
    }
}
