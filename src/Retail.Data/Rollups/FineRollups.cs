namespace Retail.Data.Rollups;

/// <summary>The per-batch fine rollups the loader writes beside the facts: a forced reload deletes a batch's rows from each.</summary>
public static class FineRollups
{
    public static readonly IReadOnlyList<string> Tables =
    [
        "marts.agg_sales_hourly", "marts.agg_product_daily", "marts.agg_receipts_daily", "marts.agg_customers_hll_daily",
        "marts.agg_mix_daily", "marts.agg_mix_receipts_daily",
    ];
}
