using System.Security.Cryptography;
using Retail.Core.Catalogue;
using Retail.Core.Formats;
using Retail.Core.Generation;
using Retail.Pipeline.Staging;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Generation;

public sealed class GeneratorTests(GeneratedYear year) : IClassFixture<GeneratedYear>
{
    private static async Task<Manifest> Generate(string dir, long rows, ulong seed, int threads, double dirty = 0, bool gzip = false) =>
        await new StagingWriter(SalesGenerator.Create(new GeneratorOptions(rows, seed, new DateOnly(2025, 11, 20),
            new DateOnly(2025, 12, 31), dirty)), dir, gzip, threads)
            .WriteAsync(null, CancellationToken.None);

    private static Dictionary<string, string> Hashes(string dir) =>
        Directory.EnumerateFiles(dir, "sales_*").ToDictionary(f => Path.GetFileName(f),
            f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))));

    [Fact]
    public async Task Same_seed_gives_byte_identical_files_with_one_or_many_threads()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        await Generate(a.Path, 50_000, 11, threads: 1);
        await Generate(b.Path, 50_000, 11, threads: 4);
        var ha = Hashes(a.Path);
        Assert.Equal(42, ha.Count);
        Assert.Equal(ha, Hashes(b.Path));
        Assert.Equal(File.ReadAllText(Path.Combine(a.Path, Manifest.FileName)), File.ReadAllText(Path.Combine(b.Path, Manifest.FileName)));
    }

    [Fact]
    public async Task Different_seeds_give_different_data()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        await Generate(a.Path, 20_000, 1, 2);
        await Generate(b.Path, 20_000, 2, 2);
        Assert.NotEqual(Hashes(a.Path)["sales_2025-12-01.csv"], Hashes(b.Path)["sales_2025-12-01.csv"]);
    }

    [Fact]
    public void Manifest_hashes_and_totals_match_the_files()
    {
        var m = year.Manifest;
        Assert.Equal(300_000, m.Totals.Rows);
        Assert.Equal(year.Lines.Count, m.Totals.Rows);
        foreach (var f in m.Files)
        {
            Assert.Equal(f.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(year.Dir.Path, f.File)))));
        }
        var byStoreDay = year.Lines.GroupBy(l => (DateOnly.FromDateTime(l.SoldAt.DateTime), l.Store))
            .ToDictionary(g => g.Key, g => (lines: g.LongCount(), units: g.Sum(l => (long)l.Quantity), revenue: g.Sum(l => l.TotalPence)));
        Assert.Equal(byStoreDay.Count, m.ControlTotals.Count);
        foreach (var c in m.ControlTotals)
        {
            var actual = byStoreDay[(c.Date, c.Store)];
            Assert.Equal((c.Lines, c.Units, c.RevenuePence), actual);
        }
        Assert.Equal(m.Totals.RevenuePence, year.Lines.Sum(l => l.TotalPence));
    }

    [Fact]
    public void Every_row_is_consistent_and_inside_opening_hours()
    {
        var stores = StoreCatalogue.All.ToDictionary(s => s.Code);
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        foreach (var l in year.Lines)
        {
            Assert.Equal((l.Quantity * l.UnitPence) - l.DiscountPence, l.TotalPence);
            Assert.Contains(l.Payment, SalesCsv.PaymentMethods);
            Assert.Contains(l.Channel, SalesCsv.Channels);
            var local = DateOnly.FromDateTime(l.SoldAt.DateTime);
            var (open, close) = stores[l.Store].Hours(local);
            Assert.InRange(l.SoldAt.Hour, open, close - 1);
            Assert.False(UkCalendar.StoresClosed(local));
            // The offset is the UK's at that moment: +01:00 in summer time, +00:00 in winter.
            Assert.Equal(london.GetUtcOffset(l.SoldAt.DateTime), l.SoldAt.Offset);
            if (l.Quantity < 0)
            {
                Assert.True(long.Parse(l.ReturnOf, System.Globalization.CultureInfo.InvariantCulture) < l.Transaction);
            }
        }
    }

    [Fact]
    public void Saturdays_sell_more_than_Tuesdays_and_December_more_than_February()
    {
        long Revenue(Func<GeneratedYear.Line, bool> f) => year.Lines.Where(f).Sum(l => l.TotalPence);
        Assert.True(Revenue(l => l.SoldAt.DayOfWeek == DayOfWeek.Saturday) > 1.3 * Revenue(l => l.SoldAt.DayOfWeek == DayOfWeek.Tuesday));
        Assert.True(Revenue(l => l.SoldAt.Month == 12) > 1.5 * Revenue(l => l.SoldAt.Month == 2));
        var blackFriday = UkCalendar.BlackFriday(2025);
        var bf = year.Lines.Count(l => DateOnly.FromDateTime(l.SoldAt.DateTime) == blackFriday);
        var fridayBefore = year.Lines.Count(l => DateOnly.FromDateTime(l.SoldAt.DateTime) == blackFriday.AddDays(-14));
        Assert.True(bf > 1.8 * fridayBefore, $"Black Friday {bf} lines vs {fridayBefore} two weeks earlier");
    }

    [Fact]
    public void A_small_share_of_SKUs_sells_most_units()
    {
        var units = year.Lines.GroupBy(l => l.Sku).Select(g => g.Sum(l => (long)l.Quantity)).OrderDescending().ToList();
        var catalogue = ProductCatalogue.Build(SalesGenerator.CatalogueSeed).Products.Count;
        Assert.InRange(catalogue, 500, 5000);
        var top = units.Take(catalogue / 10).Sum();
        Assert.True(top > 0.4 * units.Sum(), $"top 10% of SKUs sold {top} of {units.Sum()} units");
    }

    [Fact]
    public void Baskets_repeat_customers_and_anonymous_share_are_realistic()
    {
        var receipts = year.Lines.GroupBy(l => l.Transaction).ToList();
        var mean = receipts.Average(g => g.Count());
        Assert.InRange(mean, 1.8, 2.8);
        var anonymous = receipts.Count(g => g.First().Customer.Length == 0) / (double)receipts.Count;
        Assert.InRange(anonymous, 0.3, 0.55);
        var visits = receipts.Where(g => g.First().Customer.Length > 0).GroupBy(g => g.First().Customer).Select(c => c.Count()).ToList();
        Assert.True(visits.Count(v => v >= 3) > 1000, "regular customers come back");
        Assert.Contains(year.Lines, l => l.Quantity < 0);
    }

    [Fact]
    public void Customers_are_sized_to_the_volume_so_a_year_of_visits_stays_realistic_from_100_lines_to_a_billion()
    {
        const double linesPerReceipt = 2.24, loyalty = 0.58;
        foreach (var rows in new long[] { 100, 10_000, 1_000_000, 100_000_000, 1_000_000_000 })
        {
            var size = CustomerPool.SizeFor(rows, 365, linesPerReceipt, loyalty);
            var visitsPerYear = rows / linesPerReceipt * loyalty / size;
            Assert.InRange(visitsPerYear, 3, 40);
        }
        // A quarter's data is annualised: the same chain, the same base.
        Assert.InRange(CustomerPool.SizeFor(25_000_000, 91, linesPerReceipt, loyalty) / (double)CustomerPool.SizeFor(100_000_000, 365,
            linesPerReceipt, loyalty), 0.98, 1.02);
        Assert.InRange(CustomerPool.SizeFor(100_000_000, 365, linesPerReceipt, loyalty), 1_500_000, 3_500_000);
    }

    [Fact]
    public void A_customer_base_of_ten_million_costs_no_more_memory_than_one_of_a_thousand()
    {
        CustomerPool.Build(SalesGenerator.CatalogueSeed, 1_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var small = CustomerPool.Build(SalesGenerator.CatalogueSeed, 1_000);
        var smallBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        var big = CustomerPool.Build(SalesGenerator.CatalogueSeed, 10_000_000);
        var bigBytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(bigBytes, 0, smallBytes * 1.5);
        // Procedural, yet stable: the same customer has the same id, name and home store every time.
        Assert.Equal("C9999999", big.Id(9_999_998));
        Assert.Equal(big.Name(1234), CustomerPool.Build(SalesGenerator.CatalogueSeed, 10_000_000).Name(1234));
        Assert.Equal(small.Name(17), CustomerPool.Build(SalesGenerator.CatalogueSeed, 1_000).Name(17));
    }

    [Fact]
    public void A_year_of_data_at_two_volumes_has_loyalty_customers_visiting_a_few_to_a_few_dozen_times()
    {
        foreach (var lines in new[] { SmallYear(), year.Lines })
        {
            var visits = lines.Where(l => l.Customer.Length > 0).GroupBy(l => l.Customer)
                .Select(c => c.Select(l => l.Transaction).Distinct().Count()).ToList();
            Assert.InRange(visits.Average(), 3, 40);
            // Heavy-tailed but bounded: regulars come back far more often than occasional shoppers, nobody daily.
            var sorted = visits.Order().ToList();
            Assert.True(sorted[^Math.Max(1, sorted.Count / 10)] > 2 * sorted[sorted.Count / 2],
                "the top tenth visits more than twice as often as the median customer");
            Assert.True(sorted[^1] < 365, $"a customer visited {sorted[^1]} times in a year");
        }
    }

    private static List<GeneratedYear.Line> SmallYear()
    {
        using var dir = new TempDir();
        var gen = SalesGenerator.Create(new GeneratorOptions(4_000, 5, GeneratedYear.From, GeneratedYear.To));
        new StagingWriter(gen, dir.Path, gzip: false, maxParallelism: 2).WriteAsync(null, CancellationToken.None).GetAwaiter().GetResult();
        return GeneratedYear.Read(dir.Path, gen.Days.Select(d => SalesCsv.FileName(d.Date, false)));
    }

    [Fact]
    public async Task Customers_can_be_set_by_hand()
    {
        using var dir = new TempDir();
        var m = await new StagingWriter(SalesGenerator.Create(new GeneratorOptions(20_000, 3, new DateOnly(2025, 3, 1),
            new DateOnly(2025, 3, 31), Customers: 500)), dir.Path, false, 2)
            .WriteAsync(null, CancellationToken.None);
        Assert.Equal(500, m.Arguments.Customers);
        var ids = GeneratedYear.Read(dir.Path, m.Files.Select(f => f.File)).Select(l => l.Customer).Where(c => c.Length > 0).ToHashSet();
        Assert.InRange(ids.Count, 400, 500);
        Assert.All(ids, id => Assert.InRange(int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture), 1, 500));
        Assert.Equal("--customers must be from 1 to 99,999,999 (got 0).",
            new GeneratorOptions(1, 1, new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 1), Customers: 0).Problem());
    }

    [Fact]
    public async Task A_store_sells_only_from_its_opening_date()
    {
        using var dir = new TempDir();
        var gen = SalesGenerator.Create(new GeneratorOptions(60_000, 3, new DateOnly(2026, 5, 1), new DateOnly(2026, 6, 30)));
        var manifest = await new StagingWriter(gen, dir.Path, false, 2).WriteAsync(null, CancellationToken.None);
        var colindale = manifest.ControlTotals.Where(c => c.Store == "COL").ToList();
        Assert.NotEmpty(colindale);
        Assert.Equal(new DateOnly(2026, 5, 15), colindale.Min(c => c.Date));
        foreach (var store in StoreCatalogue.All.Where(s => s.Code != "COL"))
        {
            Assert.Contains(manifest.ControlTotals, c => c.Store == store.Code && c.Date == new DateOnly(2026, 5, 1));
        }
    }

    [Fact]
    public async Task Dirty_mode_records_exactly_the_faults_it_injects()
    {
        using var dir = new TempDir();
        var m = await Generate(dir.Path, 40_000, 5, 2, dirty: 0.02);
        Assert.InRange(m.Faults.Count, 500, 1100);
        Assert.Equal(Enum.GetValues<FaultKind>().Length, m.Faults.Select(f => f.Kind).Distinct().Count());
        Assert.Equal(m.Totals.Rows - m.Faults.Count, m.Totals.ValidRows);
        Assert.Equal(m.Totals.ValidRows, m.ControlTotals.Sum(c => c.Lines));
        // Each recorded line really is broken in the recorded way.
        foreach (var f in m.Faults.Where(f => f.Kind == FaultKind.UnknownStore).Take(20))
        {
            var line = File.ReadLines(Path.Combine(dir.Path, f.File)).ElementAt((int)f.Line - 1);
            Assert.Contains(",ZZZ,", line);
        }
        foreach (var f in m.Faults.Where(f => f.Kind == FaultKind.DuplicateLine).Take(20))
        {
            var lines = File.ReadLines(Path.Combine(dir.Path, f.File)).ToList();
            Assert.Contains(lines[(int)f.Line - 1], lines.Take((int)f.Line - 1));
        }
    }

    [Fact]
    public async Task Gzip_output_decompresses_to_the_plain_files()
    {
        using var plain = new TempDir();
        using var gz = new TempDir();
        await Generate(plain.Path, 5_000, 9, 2);
        await Generate(gz.Path, 5_000, 9, 2, gzip: true);
        await using var s = new System.IO.Compression.GZipStream(File.OpenRead(Path.Combine(gz.Path, "sales_2025-12-01.csv.gz")),
            System.IO.Compression.CompressionMode.Decompress);
        using var ms = new MemoryStream();
        await s.CopyToAsync(ms);
        Assert.Equal(File.ReadAllBytes(Path.Combine(plain.Path, "sales_2025-12-01.csv")), ms.ToArray());
    }

    [Theory]
    [InlineData(0, "--rows must be at least 1")]
    [InlineData(-5, "--rows must be at least 1")]
    public void Bad_options_are_explained(long rows, string message)
    {
        var problem = new GeneratorOptions(rows, 1, new DateOnly(2025, 1, 1), new DateOnly(2025, 1, 2)).Problem();
        Assert.StartsWith(message, problem);
        Assert.Contains("swap", new GeneratorOptions(10, 1, new DateOnly(2025, 2, 1), new DateOnly(2025, 1, 2)).Problem());
    }
}
