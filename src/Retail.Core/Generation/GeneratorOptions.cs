namespace Retail.Core.Generation;

/// <summary>
/// What to generate. Rows counts CSV data rows (product lines on receipts) over [From, To]. Customers is the loyalty
/// base's size (null: sized to the volume, see <see cref="SalesGenerator.CustomersFor"/>).
/// </summary>
public sealed record GeneratorOptions(long Rows, ulong Seed, DateOnly From, DateOnly To, double DirtyRate = 0, int? Customers = null)
{
    public const long MinRows = 1;
    public const ulong DefaultSeed = 42;

    /// <summary>Checks ranges; returns the first problem as a sentence that says how to fix it, or null.</summary>
    public string? Problem()
    {
        if (Rows < MinRows)
        {
            return $"--rows must be at least 1 (got {Rows}).";
        }
        if (From > To)
        {
            return $"--from {From:yyyy-MM-dd} is after --to {To:yyyy-MM-dd}: swap them.";
        }
        if (Customers is < 1 or > Catalogue.CustomerPool.MaxSize)
        {
            return $"--customers must be from 1 to {Catalogue.CustomerPool.MaxSize:N0} (got {Customers}).";
        }
        if (DirtyRate is < 0 or > 0.5 || double.IsNaN(DirtyRate))
        {
            return $"--dirty must be a rate from 0 to 0.5 (got {DirtyRate}).";
        }
        return null;
    }
}
