using System.Globalization;

namespace Retail.Dashboard.State;

/// <summary>A heatmap cell: ISO weekday (1 = Monday … 7 = Sunday) and hour of day (0–23), written "5-14" in the URL.</summary>
public readonly record struct HeatCellKey(int IsoDayOfWeek, int Hour)
{
    /// <summary>"5-14" → Friday 14:00; null for anything else (out of range, extra characters, signs).</summary>
    public static HeatCellKey? Parse(string text)
    {
        var parts = text.Split('-');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var day) && day is >= 1 and <= 7
            && parts[1].Length <= 2
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var hour) && hour is >= 0 and <= 23
            ? new HeatCellKey(day, hour)
            : null;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{IsoDayOfWeek}-{Hour}");
}
