using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Retail.Data.Queries;

namespace Retail.Dashboard.State;

/// <summary>
/// The dashboard's filter state as it lives in the URL (?preset=30d&amp;stores=HEN,BAR&amp;categories=Toys&amp;top=units),
/// so a view can be bookmarked and shared. Values are validated against the known stores and categories.
/// </summary>
public sealed record ViewQuery(
    string Preset, DateOnly? From, DateOnly? To, IReadOnlyList<string> Stores, IReadOnlyList<string> Categories, TopBy Top)
{
    public static readonly string[] Presets = ["7d", "30d", "90d", "mtd", "ytd", "all", "custom"];
    public const string DefaultPreset = "30d";

    /// <summary>More values than any chain has stores or categories is not a filter: the rest are ignored.</summary>
    public const int MaxListValues = 64;

    /// <summary>Longest store code or category name accepted from a URL.</summary>
    public const int MaxValueLength = 64;

    /// <summary>The longest range one view covers (about ten years): work per view is bounded by days, whatever the data spans.</summary>
    public const int MaxRangeDays = 3660;

    /// <summary>What in the URL could not be used, one line each; the page shows them, the exports answer 400.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>The heatmap cell whose drill-down is open (?cell=5-14: ISO weekday 1–7, hour 0–23), or null for none.</summary>
    public HeatCellKey? Cell { get; init; }

    public static ViewQuery Parse(IReadOnlyDictionary<string, Microsoft.Extensions.Primitives.StringValues> q)
    {
        var problems = new List<string>();
        string? One(string key) => q.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString() : null;
        IReadOnlyList<string> Many(string key)
        {
            var values = (One(key) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var kept = values.Where(v => v.Length <= MaxValueLength).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            if (kept.Length < values.Length && values.Any(v => v.Length > MaxValueLength))
            {
                problems.Add($"{key}: a value is longer than {MaxValueLength} characters and was ignored.");
            }
            if (kept.Length > MaxListValues)
            {
                problems.Add($"{key}: {kept.Length} values given, at most {MaxListValues} are used.");
                kept = kept[..MaxListValues];
            }
            return kept;
        }
        DateOnly? Date(string key)
        {
            if (One(key) is not { } text)
            {
                return null;
            }
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return d;
            }
            problems.Add($"{key}='{Shorten(text)}' is not a date: use yyyy-MM-dd, e.g. 2025-12-31.");
            return null;
        }

        var preset = DefaultPreset;
        if (One("preset") is { } p)
        {
            if (Presets.Contains(p))
            {
                preset = p;
            }
            else
            {
                problems.Add($"preset='{Shorten(p)}' is not one of {string.Join(", ", Presets)}.");
            }
        }
        var from = Date("from");
        var to = Date("to");
        if (from is not null && to is not null && One("preset") is null)
        {
            preset = "custom";
        }
        var top = TopBy.Revenue;
        if (One("top") is { } t)
        {
            if (string.Equals(t, "units", StringComparison.OrdinalIgnoreCase))
            {
                top = TopBy.Units;
            }
            else if (!string.Equals(t, "revenue", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"top='{Shorten(t)}' is not revenue or units.");
            }
        }
        HeatCellKey? cell = null;
        if (One("cell") is { } c)
        {
            cell = HeatCellKey.Parse(c);
            if (cell is null)
            {
                problems.Add($"cell='{Shorten(c)}' is not a heatmap cell: use weekday-hour, e.g. 5-14 for Friday 14:00.");
            }
        }
        return new ViewQuery(preset, from, to, Many("stores"), Many("categories"), top) { Problems = problems, Cell = cell };
    }

    // Problems echo the bad value, but never a page of it.
    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    public static ViewQuery Parse(string uri) => Parse(QueryHelpers.ParseQuery(new Uri(uri).Query));

    public string ToQueryString()
    {
        var parts = new List<string> { $"preset={Preset}" };
        if (Preset == "custom" && From is { } f && To is { } t)
        {
            parts.Add($"from={f:yyyy-MM-dd}");
            parts.Add($"to={t:yyyy-MM-dd}");
        }
        if (Stores.Count > 0)
        {
            parts.Add($"stores={Uri.EscapeDataString(string.Join(',', Stores))}");
        }
        if (Categories.Count > 0)
        {
            parts.Add($"categories={Uri.EscapeDataString(string.Join(',', Categories))}");
        }
        if (Top == TopBy.Units)
        {
            parts.Add("top=units");
        }
        if (Cell is { } cell)
        {
            parts.Add($"cell={cell}");
        }
        return "?" + string.Join('&', parts);
    }

    /// <summary>
    /// The view for a range picked in the date picker, or null when there is nothing to change: an open-ended range, or
    /// the range the page already shows (the picker reports the range it is given, e.g. after a preset click).
    /// </summary>
    public static ViewQuery? PickedRange(ViewQuery current, SalesFilter? shown, DateTime? start, DateTime? end)
    {
        if (start is null || end is null)
        {
            return null;
        }
        var (from, to) = (DateOnly.FromDateTime(start.Value), DateOnly.FromDateTime(end.Value));
        if (from > to)
        {
            (from, to) = (to, from);
        }
        if (shown is not null && shown.From == from && shown.To == to)
        {
            return null;
        }
        return current with { Preset = "custom", From = from, To = to };
    }

    /// <summary>
    /// Resolves names to keys (unknown ones dropped) and the preset to dates anchored on the newest data, clamped to the
    /// data's span and to <see cref="MaxRangeDays"/>: days outside the data add nothing to any sum, and every widget's
    /// work and size grow with the days of the range.
    /// </summary>
    public SalesFilter ToFilter(FilterOptions options, DateOnly today)
    {
        var last = options.LastDate ?? today;
        var first = options.FirstDate ?? last;
        var (from, to) = Preset switch
        {
            "7d" => (Back(last, 6), last),
            "90d" => (Back(last, 89), last),
            "mtd" => (new DateOnly(last.Year, last.Month, 1), last),
            "ytd" => (new DateOnly(last.Year, 1, 1), last),
            "all" => (first, last),
            "custom" when From is { } f && To is { } t => f <= t ? (f, t) : (t, f),
            _ => (Back(last, 29), last),
        };
        from = Clamp(from, first, last);
        to = Clamp(to, first, last);
        if (to.DayNumber - from.DayNumber >= MaxRangeDays)
        {
            from = DateOnly.FromDayNumber(to.DayNumber - MaxRangeDays + 1);
        }
        var stores = Known(options.Stores, Stores);
        var categories = Known(options.Categories, Categories);
        return new SalesFilter(from, to, stores, categories);
    }

    private static DateOnly Back(DateOnly d, int days) => DateOnly.FromDayNumber(Math.Max(0, d.DayNumber - days));

    private static DateOnly Clamp(DateOnly d, DateOnly min, DateOnly max) => d < min ? min : d > max ? max : d;

    private static short[] Known(IReadOnlyList<Choice> choices, IReadOnlyList<string> wanted) =>
        choices.Where(c => wanted.Contains(c.Code, StringComparer.OrdinalIgnoreCase)).Select(c => c.Key).ToArray();
}
