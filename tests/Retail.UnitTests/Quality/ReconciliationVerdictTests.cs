using Retail.Data.Quality;

namespace Retail.UnitTests.Quality;

public sealed class ReconciliationVerdictTests
{
    private static readonly DateOnly Day = new(2026, 3, 2);

    [Fact]
    public void All_matching_passes_with_the_revenue_formatted()
    {
        var r = BatchReconciliation.Verdict([], new ReconciliationSummary(3, 0, 48, 123456));
        Assert.Equal(("pass", "3 batches, 48 store-days match to the penny, £1,234.56"), (r.Status, r.Observed));
        Assert.False(r.Failed);
    }

    [Fact]
    public void Batches_without_control_totals_are_unreconciled_not_failed()
    {
        var r = BatchReconciliation.Verdict([], new ReconciliationSummary(1, 2, 16, 99));
        Assert.Equal("unreconciled", r.Status);
        Assert.False(r.Passed);
        Assert.False(r.Failed);
        Assert.Equal("unreconciled: 2 batches loaded without a manifest; 1 batches, 16 store-days match to the penny, £0.99", r.Observed);
    }

    [Fact]
    public void A_mismatch_fails_and_says_which_side_differs()
    {
        var r = BatchReconciliation.Verdict(
        [
            new ReconciliationMismatch(7, Day, "HEN", 10, 12, 5000, 9, 11, 4001),
            new ReconciliationMismatch(7, Day, "BAR", null, null, null, 1, 1, 100),
            new ReconciliationMismatch(8, Day, "MIL", 2, 2, 200, null, null, null),
            new ReconciliationMismatch(9, Day, "EDG", 2, 2, 200, null, null, null),
        ], new ReconciliationSummary(2, 0, 30, 1));
        Assert.True(r.Failed);
        Assert.Equal("batch 7 2026-03-02 HEN: 9 lines/11 units/£40.01 vs 10/12/£50.00; "
            + "batch 7 2026-03-02 BAR: not in the batch's control totals; "
            + "batch 8 2026-03-02 MIL: missing from the facts", r.Observed);
    }
}
