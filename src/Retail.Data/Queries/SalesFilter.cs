namespace Retail.Data.Queries;

/// <summary>What the dashboard shows: an inclusive date range and optional store and category selections (empty = all).</summary>
public sealed record SalesFilter(DateOnly From, DateOnly To, IReadOnlyList<short> Stores, IReadOnlyList<short> Categories)
{
    /// <summary>Days in the range; 0 for an empty one (From after To).</summary>
    public int Days => Math.Max(0, To.DayNumber - From.DayNumber + 1);

    /// <summary>The period of the same length just before this one (cut, or empty, where it would precede 0001-01-01).</summary>
    public SalesFilter Previous => Back(From.DayNumber - Days, From.DayNumber - 1);

    /// <summary>The same weekdays a year earlier (52 weeks back), as retailers compare like for like.</summary>
    public SalesFilter LastYear => Back(From.DayNumber - 364, To.DayNumber - 364);

    // No day before 0001-01-01 holds data, so the part of a period before it is dropped rather than wrapped or thrown.
    private SalesFilter Back(int from, int to) => to < 0
        ? this with { From = DateOnly.FromDayNumber(1), To = DateOnly.MinValue }
        : this with { From = DateOnly.FromDayNumber(Math.Max(0, from)), To = DateOnly.FromDayNumber(to) };

    internal short[]? StoreArray => Stores.Count == 0 ? null : Stores.ToArray();
    internal short[]? CategoryArray => Categories.Count == 0 ? null : Categories.ToArray();

    /// <summary>Category selection as the receipts rollup's bit mask (all bits when no selection).</summary>
    internal int CategoryMask => Rollups.CategoryMask.Of(Categories);
}

/// <summary>A filter value: surrogate key, the short code used in URLs, and the display name.</summary>
public sealed record Choice(short Key, string Code, string Name);

/// <summary>The values the filters may take, and the span of data available.</summary>
public sealed record FilterOptions(IReadOnlyList<Choice> Stores, IReadOnlyList<Choice> Categories, DateOnly? FirstDate, DateOnly? LastDate);

/// <summary>
/// Money in pence (exact); derived ratios as decimal. RevenuePence is net revenue (gross sales less returns);
/// Transactions counts every receipt, refund-only ones included. UniqueCustomers is a HyperLogLog estimate.
/// </summary>
public sealed record Kpis(long RevenuePence, long Transactions, long Units, long Lines, long UniqueCustomers)
{
    /// <summary>
    /// The bound the unique-customer estimate is stated with: three standard errors of HyperLogLog with 2^12
    /// registers (1.04/√4096 ≈ 1.6%), rounded up; tests measure it against exact counts on the facts.
    /// </summary>
    public const double UniqueCustomersErrorBound = 0.05;

    public decimal Revenue => RevenuePence / 100m;
    public decimal AverageTransactionValue => Transactions == 0 ? 0 : Math.Round(RevenuePence / 100m / Transactions, 2);

    /// <summary>Lines with a positive quantity, in pence.</summary>
    public long GrossPence { get; init; }

    /// <summary>Refunded on return lines (negative quantity), in pence, as a positive amount: gross − returns = net revenue.</summary>
    public long ReturnsPence { get; init; }

    /// <summary>Discounts given on all lines, in pence.</summary>
    public long DiscountPence { get; init; }

    /// <summary>Units returned (a positive count); Units is net of them.</summary>
    public long ReturnUnits { get; init; }

    /// <summary>Receipts whose every line is a return.</summary>
    public long RefundReceipts { get; init; }

    /// <summary>Receipts with at least one sale line: what an average transaction value should be taken over.</summary>
    public long SalesReceipts => Transactions - RefundReceipts;

    /// <summary>Gross sales per sales receipt (refund-only receipts and returns left out), rounded to the penny.</summary>
    public decimal AverageSalesTransactionValue => SalesReceipts == 0 ? 0 : Math.Round(GrossPence / 100m / SalesReceipts, 2);

    /// <summary>Returns as a share of gross sales, in percent.</summary>
    public decimal ReturnRatePercent => GrossPence == 0 ? 0 : Math.Round(100m * ReturnsPence / GrossPence, 2);
}

public sealed record KpiComparison(Kpis Current, Kpis Previous, Kpis? LastYear);

public sealed record DailyPoint(DateOnly Date, long RevenuePence, decimal MovingAverage7Pence);

/// <summary>A store's or category's totals; the comparison revenues are null when not asked for.</summary>
public sealed record NamedTotal(string Name, long RevenuePence, long Units)
{
    /// <summary>The code the URL filter uses (store code, category name).</summary>
    public string Code { get; init; } = Name;

    /// <summary>Revenue in the previous period of the same length (0 when none), in pence.</summary>
    public long? PreviousRevenuePence { get; init; }

    /// <summary>Revenue on the same weekdays a year earlier, in pence; null when last year is not compared.</summary>
    public long? LastYearRevenuePence { get; init; }
}

public sealed record TopProduct(int Rank, string Sku, string Product, string Category, long Units, long RevenuePence, decimal Share)
{
    /// <summary>Revenue in the previous period of the same length (0 when none), in pence.</summary>
    public long? PreviousRevenuePence { get; init; }

    /// <summary>Revenue on the same weekdays a year earlier, in pence; null when last year is not compared.</summary>
    public long? LastYearRevenuePence { get; init; }
}

/// <summary>Revenue by ISO day of week (1 = Monday) and local hour.</summary>
public sealed record HeatCell(int IsoDayOfWeek, int Hour, long RevenuePence);

public sealed record Freshness(
    DateTimeOffset? LastLoadAt, int? LastBatchId, long TotalRows, int Batches, string? LastRunStatus,
    DateOnly? LastRunDate, IReadOnlyList<string> FailingChecks)
{
    public ReconciliationStatus? Reconciliation { get; init; }
}

/// <summary>
/// How far what is on screen is proven: days shown, days whose every batch has the control totals it was loaded with,
/// and the last reconciliation check (status and time).
/// </summary>
public sealed record ReconciliationStatus(int Days, int VouchedDays, string? LastCheck, DateTimeOffset? CheckedAt)
{
    /// <summary>The words for the freshness line; "reconciled" only when a check after the last load passed.</summary>
    public string Describe(DateTimeOffset? lastLoadAt) => (LastCheck, CheckedAt) switch
    {
        ("fail", _) => "reconciliation FAILED: run ./retail check for the details",
        ("pass", { } at) when at >= lastLoadAt && VouchedDays == Days => $"reconciled to the penny: {Days:N0} of {Days:N0} days",
        ("pass" or "unreconciled", { } at) when at >= lastLoadAt =>
            $"reconciled to the penny: {VouchedDays:N0} of {Days:N0} days ({Days - VouchedDays:N0} loaded without a manifest)",
        _ => $"control totals recorded for {VouchedDays:N0} of {Days:N0} days, not checked since the last load: run ./retail check",
    };
}

public enum TopBy
{
    Revenue,
    Units,
}

/// <summary>Everything one dashboard view needs, fetched together.</summary>
public sealed record DashboardData(
    KpiComparison Kpis, IReadOnlyList<DailyPoint> Daily, IReadOnlyList<NamedTotal> ByStore, IReadOnlyList<NamedTotal> ByCategory,
    IReadOnlyList<TopProduct> TopProducts, IReadOnlyList<HeatCell> Heatmap)
{
    /// <summary>The previous period's days (same length, just before), for drawing under the current ones by day offset.</summary>
    public IReadOnlyList<DailyPoint> PreviousDaily { get; init; } = [];

    /// <summary>The range's UK bank holidays and Black Friday, to mark on the daily chart.</summary>
    public IReadOnlyList<DayMarker> Markers { get; init; } = [];
}

/// <summary>A day worth marking on a daily chart: a UK bank holiday (from dim_date) or Black Friday.</summary>
public sealed record DayMarker(DateOnly Date, string Label);
