using Retail.Data.Queries;

namespace Retail.Dashboard.Components.Charts;

/// <summary>Which earlier periods a view's tables may be compared with: only those wholly inside the loaded data.</summary>
public sealed record Comparisons(bool PreviousLoaded, bool LastYearLoaded)
{
    public static Comparisons None { get; } = new(false, false);

    public const string PreviousMissing = "previous period not fully loaded";
    public const string LastYearMissing = "last year not loaded";

    /// <summary>A sort key for a change column: the %, or null (sorted last when descending) when there is none to show.</summary>
    public decimal? Key(long now, long? then, bool loaded) => loaded ? PeriodComparison.ChangePercent(now, then) : null;
}
