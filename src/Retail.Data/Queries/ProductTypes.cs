namespace Retail.Data.Queries;

/// <summary>What the product list can be sorted by.</summary>
public enum ProductSort
{
    Revenue,
    Units,
    Change,
    Name,
}

/// <summary>
/// One page of the product list: a search (a substring of the SKU or name, case-insensitive; null for none), the sort,
/// and the rows to skip and take (a null <paramref name="Limit"/> takes them all, for the export).
/// </summary>
public sealed record ProductListRequest(string? Search, ProductSort Sort, bool Descending, int Offset, int? Limit)
{
    /// <summary>The longest search text accepted: longer is not a SKU or a product name.</summary>
    public const int MaxSearchLength = 100;
}

/// <summary>A product's figures for the period; RevenuePence and PreviousRevenuePence in pence (0 when nothing sold).</summary>
public sealed record ProductRow(string Sku, string Product, string Category, long Units, long RevenuePence, long PreviousRevenuePence);

/// <summary>A page of the product list and how many products match in all.</summary>
public sealed record ProductPage(IReadOnlyList<ProductRow> Rows, int Total);

/// <summary>
/// One product in the filter's stores and period: its daily series, its stores, and its share of its category and of
/// all sales (every category, in the same stores and period).
/// </summary>
public sealed record ProductDetail(
    string Sku, string Product, string Category, IReadOnlyList<ProductDay> Daily, IReadOnlyList<NamedTotal> Stores,
    long RevenuePence, long CategoryRevenuePence, long TotalRevenuePence)
{
    /// <summary>Share of its category's revenue, in percent (0 when the category sold nothing).</summary>
    public decimal ShareOfCategoryPercent => CategoryRevenuePence == 0 ? 0 : Math.Round(100m * RevenuePence / CategoryRevenuePence, 2);

    /// <summary>Share of all revenue in the selected stores and period (every category), in percent.</summary>
    public decimal ShareOfTotalPercent => TotalRevenuePence == 0 ? 0 : Math.Round(100m * RevenuePence / TotalRevenuePence, 2);
}

public sealed record ProductDay(DateOnly Date, long RevenuePence, long Units);
