using Retail.Data.Warehouse;

namespace Retail.Tests.Warehouse;

/// <summary>The layout plan alone (no server): what it would run for a given Citus catalog.</summary>
public sealed class DistributedLayoutTests
{
    private static Dictionary<string, TableState> AllLocal() => DistributedLayout.Tables.ToDictionary(t => t.Name,
        _ => new TableState(DistributedLayout.Local));

    [Fact]
    public void A_plain_warehouse_gets_references_then_facts_and_colocated_rollups_with_the_view_recreated_after()
    {
        var plan = DistributedLayout.Plan(AllLocal(), 4);
        Assert.Equal("DROP VIEW IF EXISTS marts.v_sales_flat", plan[0]);
        var order = plan.ToList();
        Assert.True(order.IndexOf("SELECT create_reference_table('marts.dim_category')")
            < order.IndexOf("SELECT create_reference_table('marts.dim_product')"));
        Assert.Contains("SELECT create_distributed_table('marts.fct_sales', 'transaction_id', shard_count => 4, colocate_with => 'none')",
            plan);
        Assert.Contains(
            "SELECT create_distributed_table('marts.agg_sales_hourly', 'store_key', shard_count => 4, colocate_with => 'none')", plan);
        Assert.DoesNotContain(plan, s => s.Contains("ops.", StringComparison.Ordinal));
        // The month rollups co-located with the fine ones, so a month's rebuild runs shard by shard.
        Assert.Contains("SELECT create_distributed_table('marts.agg_month_products', 'store_key', colocate_with => "
            + "'marts.agg_sales_hourly')", plan);
        Assert.Contains("SELECT create_distributed_table('marts.agg_week_products', 'store_key', colocate_with => "
            + "'marts.agg_sales_hourly')", plan);
        Assert.Contains("SELECT create_distributed_table('marts.agg_customers_hll_daily', 'store_key', colocate_with => "
            + "'marts.agg_sales_hourly')", plan);
        Assert.Contains("SELECT create_distributed_table('marts.agg_mix_receipts_daily', 'store_key', colocate_with => "
            + "'marts.agg_sales_hourly')", plan);
        Assert.Equal(27, plan.Count(s => s.StartsWith("SELECT truncate_local_data_after_distributing_table", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_desired_layout_needs_nothing_and_a_conflicting_one_says_how_to_fix_it()
    {
        var done = DistributedLayout.Tables.ToDictionary(t => t.Name, t => new TableState(t.Kind, t.Column));
        Assert.Empty(DistributedLayout.Plan(done, 4));

        done["marts.fct_sales"] = new TableState(DistributedLayout.Distributed, "store_key");
        var e = Assert.Throws<LayoutConflictException>(() => DistributedLayout.Plan(done, 4));
        Assert.Contains("undistribute_table('marts.fct_sales')", e.Message);

        var refOps = DistributedLayout.Tables.ToDictionary(t => t.Name, t => new TableState(t.Kind, t.Column));
        refOps["ops.load_batches"] = new TableState(DistributedLayout.Reference);
        Assert.Throws<LayoutConflictException>(() => DistributedLayout.Plan(refOps, 4));
    }

    [Theory]
    [InlineData(0, 2, 2)]
    [InlineData(1, 2, 2)]
    [InlineData(2, 4, 2)]
    [InlineData(8, 16, 2)]
    public void Shards_and_cached_connections_follow_the_cluster_size(int nodes, int shards, int cached)
    {
        Assert.Equal(shards, DistributedLayout.DefaultShardCount(nodes));
        Assert.Equal(cached, DistributedLayout.CachedConnectionsPerWorker(shards, Math.Max(1, nodes)));
    }
}
