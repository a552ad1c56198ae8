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
    private readonly ConcurrentDictionary<string, Manifest?> _manifests = new(StringComparer.Ordinal);

    public IReadOnlyList<StoreDayTotal>? For(string path, FileIdentity file)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var manifest = _manifests.GetOrAdd(folder, Read);
        var entry = manifest?.Files.FirstOrDefault(f => f.File == file.Name && string.Equals(f.Sha256, file.Sha256, StringComparison.OrdinalIgnoreCase));
        if (manifest is null || entry is null)
        {
            return null;
        }
        // Files hold one sale date each; revenue in the manifest is exact pounds with two decimals.
        return manifest.ControlTotals.Where(c => c.Date == entry.Date)
            .Select(c => new StoreDayTotal(c.Date, c.Store, c.Lines, c.Units, decimal.ToInt64(c.Revenue * 100m)))
            .ToList();
    }

    private static Manifest? Read(string folder)
    {
        var path = Path.Combine(folder, Manifest.FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var s = File.OpenRead(path);
            return Manifest.ReadFrom(s);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // An unreadable manifest vouches for nothing: its files load as "without control totals".
            return null;
        }
    }
}
