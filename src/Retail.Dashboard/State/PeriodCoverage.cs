using Retail.Data.Queries;

namespace Retail.Dashboard.State;

/// <summary>
/// Whether a comparison period is wholly inside the loaded data. A change against a period that is only partly
/// loaded (year to date against a previous period that starts before the first load) is a misleading percentage,
/// so the page says "n/a" instead.
/// </summary>
public static class PeriodCoverage
{
    public static bool IsFullyLoaded(SalesFilter current, SalesFilter compared, DateOnly? firstDate) =>
        firstDate is { } first && current.Days > 0 && compared.Days == current.Days && compared.From >= first;
}
