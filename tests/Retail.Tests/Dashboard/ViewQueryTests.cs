using Microsoft.Extensions.Primitives;
using Retail.Dashboard.State;
using Retail.Data.Queries;

namespace Retail.Tests.Dashboard;

/// <summary>The URL state is pure: parsing and clamping are checked without a database or a server.</summary>
public sealed class ViewQueryTests
{
    private static readonly FilterOptions Data = new(
        [new Choice(1, "HEN", "Argos Hendon"), new Choice(2, "BAR", "Argos Barnet")],
        [new Choice(1, "Toys", "Toys")],
        new DateOnly(2025, 9, 1), new DateOnly(2025, 12, 31));

    private static ViewQuery Parse(params (string Key, string Value)[] q) =>
        ViewQuery.Parse(q.ToDictionary(kv => kv.Key, kv => new StringValues(kv.Value)));

    [Theory]
    [InlineData("5002-01-01", "9999-12-30", "2025-12-31", "2025-12-31")]
    [InlineData("1950-01-01", "2049-12-31", "2025-09-01", "2025-12-31")]
    [InlineData("0001-01-01", "0001-01-03", "2025-09-01", "2025-09-01")]
    [InlineData("9999-12-31", "0001-01-01", "2025-09-01", "2025-12-31")]
    [InlineData("2025-10-01", "2025-10-31", "2025-10-01", "2025-10-31")]
    public void Custom_ranges_are_clamped_to_the_data(string from, string to, string expectedFrom, string expectedTo)
    {
        var f = Parse(("from", from), ("to", to)).ToFilter(Data, new DateOnly(2026, 1, 10));
        Assert.Equal(
            (DateOnly.Parse(expectedFrom, System.Globalization.CultureInfo.InvariantCulture),
                DateOnly.Parse(expectedTo, System.Globalization.CultureInfo.InvariantCulture)),
            (f.From, f.To));
        // The comparison periods never throw, even when they would fall before 0001-01-01.
        _ = (f.Previous, f.LastYear);
    }

    [Fact]
    public void Data_at_the_ends_of_the_calendar_gives_filters_whose_comparisons_do_not_throw()
    {
        var early = Data with { FirstDate = DateOnly.MinValue, LastDate = DateOnly.MinValue.AddDays(2) };
        foreach (var preset in ViewQuery.Presets)
        {
            var f = Parse(("preset", preset)).ToFilter(early, new DateOnly(2026, 1, 1));
            Assert.True(f.From >= DateOnly.MinValue && f.To <= early.LastDate);
            var previous = f.Previous;
            var lastYear = f.LastYear;
            // Periods before the calendar starts are empty (no day can hold data), never a wrapped-around date.
            Assert.True(previous.Days >= 0 && lastYear.Days >= 0);
            Assert.True(previous.To < f.From || previous.Days == 0);
        }
        var late = Data with { FirstDate = DateOnly.MaxValue.AddDays(-2), LastDate = DateOnly.MaxValue };
        foreach (var preset in ViewQuery.Presets)
        {
            var f = Parse(("preset", preset), ("from", "9999-12-30"), ("to", "9999-12-31")).ToFilter(late, new DateOnly(2026, 1, 1));
            Assert.Equal(DateOnly.MaxValue, f.To);
            _ = (f.Previous, f.LastYear);
        }
    }

    [Fact]
    public void Previous_and_last_year_at_the_first_day_of_the_calendar_are_empty()
    {
        var f = new SalesFilter(DateOnly.MinValue, DateOnly.MinValue.AddDays(9), [], []);
        Assert.Equal(0, f.Previous.Days);
        Assert.Equal(0, f.LastYear.Days);
        var g = new SalesFilter(DateOnly.MinValue.AddDays(5), DateOnly.MinValue.AddDays(400), [], []);
        Assert.Equal((DateOnly.MinValue, DateOnly.MinValue.AddDays(4)), (g.Previous.From, g.Previous.To));
        Assert.Equal((DateOnly.MinValue, DateOnly.MinValue.AddDays(36)), (g.LastYear.From, g.LastYear.To));
    }

    [Fact]
    public void A_range_never_exceeds_the_maximum_even_when_the_data_spans_centuries()
    {
        var wide = Data with { FirstDate = new DateOnly(1, 1, 1), LastDate = new DateOnly(9999, 12, 31) };
        var f = Parse(("preset", "all")).ToFilter(wide, new DateOnly(2026, 1, 1));
        Assert.Equal(ViewQuery.MaxRangeDays, f.Days);
        Assert.Equal(new DateOnly(9999, 12, 31), f.To);
    }

    [Theory]
    [InlineData("from", "2025-13-01")]
    [InlineData("to", "yesterday")]
    [InlineData("preset", "century")]
    [InlineData("top", "profit")]
    public void Values_that_do_not_parse_are_reported(string key, string value)
    {
        var q = Parse((key, value), (key == "from" ? "to" : "from", "2025-10-01"));
        var problem = Assert.Single(q.Problems);
        Assert.Contains(key, problem);
        Assert.Contains(value, problem);
    }

    [Fact]
    public void Long_lists_and_long_values_are_bounded_and_reported()
    {
        var many = string.Join(',', Enumerable.Range(0, 5000).Select(i => $"S{i}"));
        var q = Parse(("stores", many), ("categories", new string('x', 5000)));
        Assert.True(q.Stores.Count <= ViewQuery.MaxListValues);
        Assert.Empty(q.Categories);
        Assert.Equal(2, q.Problems.Count);
        Assert.All(q.Problems, p => Assert.True(p.Length < 200, p));
        Assert.Empty(q.ToFilter(Data, new DateOnly(2026, 1, 1)).Stores);
    }

    [Fact]
    public void A_good_url_has_no_problems_and_round_trips()
    {
        var q = Parse(("preset", "90d"), ("stores", "HEN,bar"), ("categories", "Toys"), ("top", "units"));
        Assert.Empty(q.Problems);
        Assert.Equal("?preset=90d&stores=HEN%2Cbar&categories=Toys&top=units", q.ToQueryString());
        var f = q.ToFilter(Data, new DateOnly(2026, 1, 1));
        Assert.Equal(new short[] { 1, 2 }, f.Stores);
        Assert.Equal((new DateOnly(2025, 10, 3), new DateOnly(2025, 12, 31)), (f.From, f.To));
    }
}
