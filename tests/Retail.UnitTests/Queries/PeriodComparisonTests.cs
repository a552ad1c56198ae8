using System.Globalization;
using Retail.Data.Queries;

namespace Retail.UnitTests.Queries;

public sealed class PeriodComparisonTests
{
    private static NamedTotal Row(string code, long revenue) => new($"Argos {code}", revenue, 1) { Code = code };

    [Fact]
    public void Rows_get_the_earlier_periods_revenue_by_code_and_zero_where_they_sold_nothing()
    {
        var rows = PeriodComparison.Attach([Row("HEN", 300), Row("COL", 50)], [Row("HEN", 200), Row("BAR", 10)], [Row("HEN", 400)]);
        Assert.Equal([200L, 0L], rows.Select(r => r.PreviousRevenuePence));
        Assert.Equal([400L, 0L], rows.Select(r => r.LastYearRevenuePence));
        Assert.Equal(["HEN", "COL"], rows.Select(r => r.Code));
    }

    [Fact]
    public void Without_last_year_its_column_stays_null_not_zero()
    {
        var rows = PeriodComparison.Attach([Row("HEN", 300)], [], null);
        Assert.Equal(0L, rows[0].PreviousRevenuePence);
        Assert.Null(rows[0].LastYearRevenuePence);
    }

    [Fact]
    public void Products_are_matched_by_sku()
    {
        var top = new[] { new TopProduct(1, "801/0830", "Lounge pants", "Clothing", 3, 7497, 50m) };
        var rows = PeriodComparison.Attach(top, new Dictionary<string, long> { ["801/0830"] = 2499 }, null);
        Assert.Equal(2499L, rows[0].PreviousRevenuePence);
        Assert.Null(rows[0].LastYearRevenuePence);
    }

    [Theory]
    [InlineData(150L, 100L, "50.0")]
    [InlineData(50L, 100L, "-50.0")]
    [InlineData(-30L, -20L, "-50.0")]
    [InlineData(100L, 300L, "-66.7")]
    [InlineData(100L, 0L, null)]
    [InlineData(100L, null, null)]
    public void The_change_is_a_percentage_of_the_earlier_figure_or_null_when_there_is_none(long now, long? then, string? expected) =>
        Assert.Equal(expected, PeriodComparison.ChangePercent(now, then)?.ToString("0.0", CultureInfo.InvariantCulture));
}
