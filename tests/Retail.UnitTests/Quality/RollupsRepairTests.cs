using Retail.Data.Quality;

namespace Retail.UnitTests.Quality;

/// <summary>What `retail check` tells an operator to run when rollups_match_facts fails.</summary>
public sealed class RollupsRepairTests
{
    private static readonly DateOnly Day = new(2025, 2, 3);

    [Fact]
    public void Only_the_mix_differing_asks_for_the_mix_alone()
    {
        Assert.Equal("retail rollups rebuild --from-facts --only mix", RollupsMatchFacts.Repair(
            [(Day, "agg_mix_daily"), (Day, "agg_mix_daily (all stores)"), (Day, "agg_month_mix"), (Day, "agg_week_mix (all stores)")]));
    }

    [Fact]
    public void Any_other_rollup_differing_asks_for_every_rollup()
    {
        Assert.Equal("retail rollups rebuild --from-facts", RollupsMatchFacts.Repair([(Day, "agg_mix_daily"), (Day, "agg_sales_hourly")]));
        Assert.Equal("retail rollups rebuild --from-facts", RollupsMatchFacts.Repair([(Day, "agg_month_sales (all stores)")]));
        Assert.Equal("retail rollups rebuild --from-facts", RollupsMatchFacts.Repair([]));
    }
}
