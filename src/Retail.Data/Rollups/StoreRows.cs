namespace Retail.Data.Rollups;

/// <summary>
/// Every rollup holds its store rows and, under store_key 0, the same rows summed over all stores
/// (Sql/marts/120_all_store_rollups.sql): a question about all stores reads a sixteenth of the rows.
/// </summary>
public static class StoreRows
{
    /// <summary>The store_key of the all-store rows; real stores start at 1 (dim_store_key_positive).</summary>
    public const short All = 0;
}
