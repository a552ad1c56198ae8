using Retail.Core.Formats;
using Retail.Data.Loading;

namespace Retail.UnitTests.Loading;

public sealed class ControlTotalsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("retail-unit-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly DateOnly Day = new(2026, 3, 2);

    private string WriteManifest(string sha)
    {
        var m = new Manifest
        {
            Arguments = new ManifestArguments(3, 1, Day, Day, 0, false),
            Totals = new ManifestTotals(3, 3, 4, 3049),
            Files = [new ManifestFile("sales_2026-03-02.csv", Day, 3, 100, sha)],
            ControlTotals = [new ControlTotal(Day, "HEN", 2, 3, 2000), new ControlTotal(Day, "BAR", 1, 1, 1049)],
            Faults = [],
        };
        using var s = File.Create(Path.Combine(_dir, Manifest.FileName));
        m.WriteTo(s);
        return Path.Combine(_dir, "sales_2026-03-02.csv");
    }

    [Fact]
    public void A_file_the_manifest_lists_with_its_hash_gets_its_totals()
    {
        var path = WriteManifest("ABCDEF");
        var totals = new ControlTotals().For(path, new FileIdentity("sales_2026-03-02.csv", "abcdef"));
        Assert.NotNull(totals);
        Assert.Equal([new StoreDayTotal(Day, "HEN", 2, 3, 2000), new StoreDayTotal(Day, "BAR", 1, 1, 1049)],
            totals.OrderByDescending(t => t.Store));
    }

    [Fact]
    public void Another_hash_another_name_or_an_unreadable_manifest_vouch_for_nothing()
    {
        var path = WriteManifest("abcdef");
        Assert.Null(new ControlTotals().For(path, new FileIdentity("sales_2026-03-02.csv", "012345")));
        Assert.Null(new ControlTotals().For(path, new FileIdentity("sales_2026-03-03.csv", "abcdef")));
        File.WriteAllText(Path.Combine(_dir, Manifest.FileName), "{ not json");
        Assert.Null(new ControlTotals().For(path, new FileIdentity("sales_2026-03-02.csv", "abcdef")));
    }
}
