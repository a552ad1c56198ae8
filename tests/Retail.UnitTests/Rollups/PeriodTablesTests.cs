using Retail.Data.Rollups;
using Retail.Data.Warehouse;

namespace Retail.UnitTests.Rollups;

/// <summary>
/// The period tables, read from the rebuild's INSERTs, against the Citus layout's own list of tables: a rollup added to
/// the rebuild but not to the layout would stay a coordinator table while its fine rows live on the workers.
/// </summary>
public sealed class PeriodTablesTests
{
    [Fact]
    public void Every_period_rollup_is_distributed_by_store_beside_the_fine_rollups()
    {
        var rollups = PeriodRollups.Tables.Where(t => !t.StartsWith("marts.rollup_", StringComparison.Ordinal)).ToList();
        Assert.Equal(13, rollups.Count);
        Assert.Equal(2, PeriodRollups.Tables.Count - rollups.Count);
        foreach (var table in rollups)
        {
            var layout = Assert.Single(DistributedLayout.Tables, l => l.Name == table);
            Assert.Equal((DistributedLayout.Distributed, "store_key", "marts.agg_sales_hourly"),
                (layout.Kind, layout.Column, layout.ColocateWith));
        }
    }
}
