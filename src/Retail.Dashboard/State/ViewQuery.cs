using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Retail.Data.Queries;

namespace Retail.Dashboard.State;

/// <summary>
/// The dashboard's filter state as it lives in the URL (?preset=30d&amp;stores=HEN,BAR&amp;categories=Toys&amp;top=units),
/// so a view can be bookmarked and shared. Values are validated against the known stores and categories.
/// </summary>
public sealed record ViewQuery(string Preset, DateOnly? From, DateOnly? To, IReadOnlyList<string> Stores, IReadOnlyList<string> Categories, TopBy Top)
{
    public static readonly string[] Presets = ["7d", "30d", "90d", "mtd", "ytd", "all", "custom"];
    public const string DefaultPreset = "30d";

    public static ViewQuery Parse(IReadOnlyDictionary<string, Microsoft.Extensions.Primitives.StringValues> q)
    {
        string? One(string key) => q.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString() : null;
        IReadOnlyList<string> Many(string key) => (One(key) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToArray();
        DateOnly? Date(string key) => DateOnly.TryParseExact(One(key), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

        var preset = One("preset") is { } p && Presets.Contains(p) ? p : DefaultPreset;
        var from = Date("from");
        var to = Date("to");
        if (from is not null && to is not null && One("preset") is null)
        {
            preset = "custom";
        }
        return new ViewQuery(preset, from, to, Many("stores"), Many("categories"), string.Equals(One("top"), "units", StringComparison.OrdinalIgnoreCase) ? TopBy.Units : TopBy.Revenue);
    }

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
        return "?" + string.Join('&', parts);
    }

    /// <summary>Resolves names to keys (unknown ones dropped) and the preset to dates anchored on the newest data.</summary>
    public SalesFilter ToFilter(FilterOptions options, DateOnly today)
    {
        var last = options.LastDate ?? today;
        var first = options.FirstDate ?? last;
        var (from, to) = Preset switch
        {
            "7d" => (last.AddDays(-6), last),
            "90d" => (last.AddDays(-89), last),
            "mtd" => (new DateOnly(last.Year, last.Month, 1), last),
            "ytd" => (new DateOnly(last.Year, 1, 1), last),
            "all" => (first, last),
            "custom" when From is { } f && To is { } t => f <= t ? (f, t) : (t, f),
            _ => (last.AddDays(-29), last),
        };
        var stores = Known(options.Stores, Stores);
        var categories = Known(options.Categories, Categories);
        return new SalesFilter(from, to, stores, categories);
    }

    private static short[] Known(IReadOnlyList<Choice> choices, IReadOnlyList<string> wanted) =>
        choices.Where(c => wanted.Contains(c.Code, StringComparer.OrdinalIgnoreCase)).Select(c => c.Key).ToArray();
}
