using Retail.Data.Queries;

namespace Retail.UnitTests.Queries;

/// <summary>
/// Pure: how a plan's edge days reach SQL. Short ranges become one list of days (an index condition on both the btree
/// and the BRIN), long ones stay BETWEEN; parameters are numbered two per range after the months and weeks.
/// </summary>
public sealed class FineDaysTests
{
    private static DayRange R(int fromMonth, int fromDay, int toMonth, int toDay) =>
        new(new DateOnly(2025, fromMonth, fromDay), new DateOnly(2025, toMonth, toDay));

    private static string Sql(params DayRange[] days) => SalesQueries.FineDays(new DateRangePlan([], days), monthsAt: 6);

    [Fact]
    public void Two_edge_ranges_are_one_list_of_days()
    {
        Assert.Equal("(sale_date IN ($8, $8 + 1, $8 + 2, $10, $10 + 1))", Sql(R(1, 15, 1, 17), R(4, 1, 4, 2)));
    }

    [Fact]
    public void Sixteen_days_are_listed_and_seventeen_are_a_range()
    {
        var sixteen = Sql(R(1, 1, 1, 16));
        Assert.StartsWith("(sale_date IN ($8, $8 + 1, ", sixteen);
        Assert.EndsWith(", $8 + 15))", sixteen);
        Assert.Equal("(sale_date BETWEEN $8 AND $9)", Sql(R(1, 1, 1, 17)));
    }

    [Fact]
    public void A_long_range_beside_short_ones_keeps_its_own_parameters()
    {
        Assert.Equal("(sale_date IN ($8, $8 + 1, $12) OR sale_date BETWEEN $10 AND $11)",
            Sql(R(1, 1, 1, 2), R(3, 1, 6, 30), R(9, 9, 9, 9)));
    }
}
