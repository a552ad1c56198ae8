using Retail.Core;

namespace Retail.Data.Quality;

/// <summary>One store-day of a batch whose facts differ from its recorded control totals (null: absent on that side).</summary>
public sealed record ReconciliationMismatch(long BatchId, DateOnly Date, string Store, long? ExpectedLines, long? ExpectedUnits,
    long? ExpectedPence, long? ActualLines, long? ActualUnits, long? ActualPence)
{
    public override string ToString()
    {
        var what = ExpectedLines is null ? "not in the batch's control totals" : ActualLines is null ? "missing from the facts"
            : $"{ActualLines} lines/{ActualUnits} units/{Money.Format(ActualPence ?? 0)} vs "
                + $"{ExpectedLines}/{ExpectedUnits}/{Money.Format(ExpectedPence ?? 0)}";
        return $"batch {BatchId} {Date:yyyy-MM-dd} {Store}: {what}";
    }
}

/// <summary>Batches compared, batches without control totals, store-days matched and their revenue.</summary>
public sealed record ReconciliationSummary(long Reconciled, long Unreconciled, long StoreDays, long RevenuePence);

/// <summary>The reconciliation check's verdict and text, apart from the query that feeds it.</summary>
public static class BatchReconciliation
{
    public const string Name = "reconciliation";
    public const string Expected = "facts = each batch's recorded control totals per store per day";

    public static CheckResult Verdict(IReadOnlyList<ReconciliationMismatch> mismatches, ReconciliationSummary summary)
    {
        if (mismatches.Count > 0)
        {
            return new CheckResult(Name, false, string.Join("; ", mismatches.Take(3)), Expected);
        }
        var matched = $"{summary.Reconciled} batches, {summary.StoreDays} store-days match to the penny, "
            + $"{Money.Format(summary.RevenuePence)}";
        return summary.Unreconciled > 0
            ? new CheckResult(Name, false, $"unreconciled: {summary.Unreconciled} batches loaded without a manifest; {matched}",
                Expected) { Unreconciled = true }
            : new CheckResult(Name, true, matched, Expected);
    }
}
