using Retail.Data.Configuration;

namespace Retail.Data.Warehouse;

/// <summary>What the CLI's schema step takes from the settings; the defaults are what a bare loader needs.</summary>
public sealed record SchemaOptions
{
    /// <summary>The dashboard's login to create or repair; null leaves roles alone.</summary>
    public DashboardLogin? Dashboard { get; init; }

    /// <summary>CITUS_SHARD_COUNT, used when the warehouse is first distributed; null = two per worker.</summary>
    public int? CitusShardCount { get; init; }

    public static SchemaOptions For(WarehouseEndpoint endpoint) =>
        new() { Dashboard = endpoint.Dashboard, CitusShardCount = endpoint.Settings.CitusShardCount };
}
