using System.Globalization;

namespace Retail.Dashboard.Components.Charts;

/// <summary>A data bar's length: the value against the largest in the view, from zero (a net negative draws nothing).</summary>
internal static class DataBar
{
    public static string Width(long value, long max) =>
        max <= 0 || value <= 0
            ? "0%"
            : Math.Min(100m, value * 100m / max).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
