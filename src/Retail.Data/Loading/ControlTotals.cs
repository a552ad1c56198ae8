using System.Collections.Concurrent;
using System.Text.Json;
using Retail.Core.Formats;

namespace Retail.Data.Loading;

/// <summary>What a manifest vouches for one staging file: valid lines, units and revenue per store per day.</summary>
public sealed record StoreDayTotal(DateOnly Date, string Store, long Lines, long Units, long RevenuePence);

/// <summary>
/// Finds the control totals for staging files in the manifest.json beside them (read once per folder). A manifest
/// vouches for a file only when it lists it under the same name with the same SHA-256; anything else has none.
/// </summary>
internal sealed class ControlTotals
{
    /// <summary>A folder's manifest, indexed once: its files by name, and its totals by sale date.</summary>
    private sealed record Index(Dictionary<string, ManifestFile> Files, ILookup<DateOnly, StoreDayTotal> ByDate);

    private readonly ConcurrentDictionary<string, Index?> _folders = new(StringComparer.Ordinal);

    public IReadOnlyList<StoreDayTotal>? For(string path, FileIdentity file)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var index = _folders.GetOrAdd(folder, Read);
        if (index is null || !index.Files.TryGetValue(file.Name, out var entry) || !string.Equals(entry.Sha256, file.Sha256,
            StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        // Files hold one sale date each.
        return index.ByDate[entry.Date].ToList();
    }

    private static Index? Read(string folder)
    {
        var path = Path.Combine(folder, Manifest.FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var s = File.OpenRead(path);
            var manifest = Manifest.ReadFrom(s);
            return new Index(
                manifest.Files.GroupBy(f => f.File, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal),
                manifest.ControlTotals.Select(c => new StoreDayTotal(c.Date, c.Store, c.Lines, c.Units,
                    c.RevenuePence)).ToLookup(t => t.Date));
        }
        catch (Exception e)
            when (e is JsonException or InvalidDataException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // An unreadable manifest vouches for nothing: its files load as "without control totals".
            return null;
        }
    }
}
