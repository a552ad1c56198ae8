namespace Retail.Dashboard.Components.Charts;

/// <summary>
/// A table's sort: which column, which way; clicking the sorted column flips it, another starts descending (biggest first).
/// </summary>
public sealed record SortOrder(string Column, bool Descending)
{
    public SortOrder Toggle(string column) => column == Column
        ? this with { Descending = !Descending }
        : new SortOrder(column, column is not ("name" or "product" or "category" or "rank"));

    /// <summary>The header's aria-sort value.</summary>
    public string Aria(string column) => column != Column ? "none" : Descending ? "descending" : "ascending";

    public IEnumerable<T> Apply<T, TKey>(IEnumerable<T> rows, Func<T, TKey> key) =>
        Descending ? rows.OrderByDescending(key) : rows.OrderBy(key);
}
