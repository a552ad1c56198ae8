using Retail.Core.Reference;
using Retail.Data.Configuration;

namespace Retail.Data.Warehouse;

/// <summary>What the CLI's schema step takes from the settings; the defaults are what a bare loader needs.</summary>
public sealed record SchemaOptions
{
    /// <summary>The dashboard's login to create or repair; null leaves roles alone.</summary>
    public DashboardLogin? Dashboard { get; init; }

    /// <summary>CITUS_SHARD_COUNT, used when the warehouse is first distributed; null = two per worker.</summary>
    public int? CitusShardCount { get; init; }

    /// <summary>
    /// Told, after the schema step commits, what a migration just applied to a warehouse that already held facts asks the
    /// operator to run (its "-- after upgrade:" line), e.g. a re-derivation of rollups it added columns to.
    /// </summary>
    public Action<string>? Advise { get; init; }

    /// <summary>The reference data upserted into the dimensions; tests pass a changed one to see it applied.</summary>
    public ReferenceSeed Seed { get; init; } = ReferenceSeed.Chain;

    public static SchemaOptions For(WarehouseEndpoint endpoint) =>
        new() { Dashboard = endpoint.Dashboard, CitusShardCount = endpoint.Settings.CitusShardCount };
}
