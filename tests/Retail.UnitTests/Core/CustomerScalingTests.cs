using Retail.Core.Catalogue;

namespace Retail.UnitTests.Core;

public sealed class CustomerScalingTests
{
    [Fact]
    public void The_loyalty_base_is_sized_so_each_customer_visits_about_twelve_times_a_year()
    {
        // 1M lines a year, 2.5 lines a receipt, 58% loyalty receipts: 232,000 loyalty receipts (× 365.25 / 365) / 12 visits.
        Assert.Equal(19_347, CustomerPool.SizeFor(1_000_000, 365, 2.5, 0.58));
        // The same daily volume over a month needs the same base: it is annualised.
        Assert.Equal(CustomerPool.SizeFor(1_000_000, 365, 2.5, 0.58), CustomerPool.SizeFor(1_000_000 * 31 / 365, 31, 2.5, 0.58),
            tolerance: 2);
        // Bounded both ways.
        Assert.Equal(1, CustomerPool.SizeFor(1, 365, 2.5, 0.58));
        Assert.Equal(CustomerPool.MaxSize, CustomerPool.SizeFor(long.MaxValue / 4, 1, 2.5, 0.58));
    }
}
