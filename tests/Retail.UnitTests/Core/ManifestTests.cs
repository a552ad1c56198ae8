using System.Text;
using Retail.Core;
using Retail.Core.Formats;

namespace Retail.UnitTests.Core;

public sealed class ManifestTests
{
    private static Manifest Read(string json) => Manifest.ReadFrom(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    private const string Common = """
        "arguments": { "rows": 3, "seed": 1, "from": "2026-03-02", "to": "2026-03-02", "dirty": 0, "gzip": false },
        "files": [], "faults": [],
        """;

    [Fact]
    public void Totals_are_written_and_read_in_pence()
    {
        var m = new Manifest
        {
            Arguments = new ManifestArguments(3, 1, new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 2), 0, false),
            Totals = new ManifestTotals(3, 3, 4, 3049),
            Files = [],
            ControlTotals = [new ControlTotal(new DateOnly(2026, 3, 2), "HEN", 3, 4, 3049)],
            Faults = [],
        };
        var stream = new MemoryStream();
        m.WriteTo(stream);
        var json = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("\"revenuePence\": 3049", json);
        Assert.DoesNotContain("\"revenue\"", json);
        var back = Read(json);
        Assert.Equal((3049L, 3049L), (back.Totals.RevenuePence, back.ControlTotals[0].RevenuePence));
    }

    [Fact]
    public void Manifests_of_generator_1_1_in_pounds_are_still_read_exactly()
    {
        var m = Read("{" + Common + """
            "totals": { "rows": 3, "validRows": 3, "units": 4, "revenue": 30.49 },
            "controlTotals": [ { "date": "2026-03-02", "store": "HEN", "lines": 3, "units": 4, "revenue": 1234567.8 } ]
            }
            """);
        Assert.Equal(3049, m.Totals.RevenuePence);
        Assert.Equal(123456780, m.ControlTotals[0].RevenuePence);
    }

    [Fact]
    public void Pounds_with_fractions_of_a_penny_are_refused_not_rounded()
    {
        Assert.Equal(-99, Money.FromPounds(-0.99m));
        Assert.Throws<ArgumentException>(() => Money.FromPounds(0.005m));
        Assert.Equal("-0.99", Money.Plain(-99));
        Assert.Equal("1234.50", Money.Plain(123450));
    }
}
