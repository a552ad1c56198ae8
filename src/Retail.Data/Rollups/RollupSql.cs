using Retail.Data.Warehouse;

namespace Retail.Data.Rollups;

/// <summary>The rollup statements shipped in Sql/rollups (not migrations), loaded once.</summary>
internal static class RollupSql
{
    private const string SignaturesMarker = "/*signatures*/";

    public static readonly string Signatures = WarehouseSchema.Resource("rollups/month_signatures.sql");
    public static readonly string CurrentMonths = WarehouseSchema.Resource("rollups/current_months.sql").Replace(SignaturesMarker, Signatures, StringComparison.Ordinal);
    public static readonly string StaleMonths = WarehouseSchema.Resource("rollups/stale_months.sql").Replace(SignaturesMarker, Signatures, StringComparison.Ordinal);
    public static readonly string MonthBatches = WarehouseSchema.Resource("rollups/month_batches.sql");
    public static readonly string BatchSketches = WarehouseSchema.Resource("rollups/batch_sketches.sql");
    public static readonly IReadOnlyList<string> RebuildMonth = Statements("rollups/rebuild_month.sql");
    public static readonly IReadOnlyList<string> RederiveMonth = Statements("rollups/rederive_month.sql");

    /// <summary>A file's statements, split at lines holding only a semicolon (so each can take parameters).</summary>
    private static string[] Statements(string path) => WarehouseSchema.Resource(path)
        .Split("\n;\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
