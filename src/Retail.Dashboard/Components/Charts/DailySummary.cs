using Retail.Data.Queries;

namespace Retail.Dashboard.Components.Charts;

/// <summary>The daily chart in one sentence, for screen readers: span, total, best and worst day.</summary>
public static class DailySummary
{
    public static string Describe(IReadOnlyList<DailyPoint> points)
    {
        var best = points.MaxBy(p => p.RevenuePence)!;
        var worst = points.MinBy(p => p.RevenuePence)!;
        return $"{points.Count} days from {Format.Day(points[0].Date)} to {Format.Day(points[^1].Date)}, "
            + $"{Format.Money(points.Sum(p => p.RevenuePence))} in all. "
            + $"Best day {Format.Day(best.Date)} at {Format.Money(best.RevenuePence)}; "
            + $"lowest {Format.Day(worst.Date)} at {Format.Money(worst.RevenuePence)}.";
    }
}
