namespace Retail.Data.Queries;

/// <summary>
/// Puts the previous period's and last year's revenue beside each row of the current period. Pure: the three lists
/// come from the same query run for each period. A row the earlier period does not have sold nothing then (0).
/// </summary>
public static class PeriodComparison
{
    public static IReadOnlyList<NamedTotal> Attach(
        IReadOnlyList<NamedTotal> now, IReadOnlyList<NamedTotal> previous, IReadOnlyList<NamedTotal>? lastYear)
    {
        var before = previous.ToDictionary(r => r.Code, r => r.RevenuePence, StringComparer.Ordinal);
        var year = lastYear?.ToDictionary(r => r.Code, r => r.RevenuePence, StringComparer.Ordinal);
        return now.Select(r => r with
        {
            PreviousRevenuePence = before.GetValueOrDefault(r.Code),
            LastYearRevenuePence = year is null ? null : year.GetValueOrDefault(r.Code),
        }).ToArray();
    }

    /// <summary>
    /// The same for products, keyed by SKU: <paramref name="previous"/> and <paramref name="lastYear"/> map SKU to revenue.
    /// </summary>
    public static IReadOnlyList<TopProduct> Attach(
        IReadOnlyList<TopProduct> now, IReadOnlyDictionary<string, long> previous, IReadOnlyDictionary<string, long>? lastYear) =>
        now.Select(p => p with
        {
            PreviousRevenuePence = previous.GetValueOrDefault(p.Sku),
            LastYearRevenuePence = lastYear is null ? null : lastYear.GetValueOrDefault(p.Sku),
        }).ToArray();

    /// <summary>Change in percent (one decimal) from <paramref name="then"/> to <paramref name="now"/>; null when there is none.</summary>
    public static decimal? ChangePercent(long now, long? then) =>
        then is null or 0 ? null : Math.Round((now - then.Value) * 100m / Math.Abs(then.Value), 1);
}
