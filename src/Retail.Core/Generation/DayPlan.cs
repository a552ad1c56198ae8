using Retail.Core.Formats;

namespace Retail.Core.Generation;

/// <summary>How many rows one sale date gets, split over the stores open that day (indexed by store key).</summary>
public sealed record DayPlan(int Index, DateOnly Date, long Rows, long[] StoreRows);

/// <summary>What writing one day produced: exactly what the manifest records for it.</summary>
public sealed record GeneratedDay(DateOnly Date, long Rows, long ValidRows, long Units, long RevenuePence,
    IReadOnlyList<ControlTotal> ControlTotals, IReadOnlyList<InjectedFault> Faults);
