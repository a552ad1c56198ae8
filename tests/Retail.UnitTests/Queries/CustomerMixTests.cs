using Retail.Data.Queries;

namespace Retail.UnitTests.Queries;

public sealed class CustomerMixTests
{
    [Fact]
    public void Repeat_is_the_estimate_less_the_new_with_the_estimates_bound_and_shares_of_the_estimate()
    {
        var mix = new CustomerMix(Customers: 1_000, New: 250);
        Assert.Equal(750, mix.Repeat);
        Assert.Equal(50, mix.RepeatBound); // ±5% of 1,000 customers
        Assert.Equal(25.0m, mix.NewSharePercent);
        Assert.Equal(75.0m, mix.RepeatSharePercent);
    }

    [Fact]
    public void An_estimate_below_the_exact_new_count_gives_no_repeat_customers_and_a_share_of_at_most_100()
    {
        var mix = new CustomerMix(Customers: 98, New: 100);
        Assert.Equal(0, mix.Repeat);
        Assert.Equal(100.0m, mix.NewSharePercent);
        Assert.Equal(0m, mix.RepeatSharePercent);
    }

    [Fact]
    public void No_customers_gives_zero_shares_not_a_division_by_zero()
    {
        var mix = new CustomerMix(0, 0);
        Assert.Equal((0L, 0L, 0m, 0m), (mix.Repeat, mix.RepeatBound, mix.NewSharePercent, mix.RepeatSharePercent));
    }
}
