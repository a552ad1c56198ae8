using Retail.Dashboard.Components.Charts;

namespace Retail.Tests.Dashboard;

public sealed class DataBarTests
{
    [Theory]
    [InlineData(200, 200, "100%")]
    [InlineData(50, 200, "25%")]
    [InlineData(1, 3, "33.3%")]
    [InlineData(2, 3, "66.7%")]
    [InlineData(0, 200, "0%")]
    [InlineData(-40, 200, "0%")] // a net refund draws no bar, not a negative one
    [InlineData(10, 0, "0%")] // nothing sold anywhere in the view
    public void A_bar_is_its_value_against_the_largest_from_zero(long value, long max, string width) =>
        Assert.Equal(width, DataBar.Width(value, max));
}
