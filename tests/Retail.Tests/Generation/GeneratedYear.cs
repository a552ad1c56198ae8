using System.Globalization;
using nietras.SeparatedValues;
using Retail.Core.Formats;
using Retail.Core.Generation;
using Retail.Pipeline.Staging;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Generation;

/// <summary>One generated year (300k rows), read back from the files, shared by the statistical tests.</summary>
public sealed class GeneratedYear : IAsyncLifetime
{
    public static readonly DateOnly From = new(2025, 1, 1);
    public static readonly DateOnly To = new(2025, 12, 31);
    public readonly TempDir Dir = new();
    public Manifest Manifest { get; private set; } = null!;
    public List<Line> Lines { get; } = [];

    public sealed record Line(long Transaction, int LineNo, DateTimeOffset SoldAt, string Store, string Sku, string Category, int Quantity,
        long UnitPence, long DiscountPence, long TotalPence, string Payment, string Channel, string Customer, string ReturnOf);

    public async Task InitializeAsync()
    {
        var gen = SalesGenerator.Create(new GeneratorOptions(300_000, 7, From, To));
        Manifest = await new StagingWriter(gen, Dir.Path, gzip: false, maxParallelism: 2).WriteAsync(null, CancellationToken.None);
        Lines.AddRange(Read(Dir.Path, Manifest.Files.Select(f => f.File)));
    }

    /// <summary>Every row of these staging files, parsed.</summary>
    public static List<Line> Read(string dir, IEnumerable<string> files)
    {
        var lines = new List<Line>();
        foreach (var f in files)
        {
            using var reader = Sep.Reader(o => o with { Unescape = true }).FromFile(Path.Combine(dir, f));
            foreach (var r in reader)
            {
                lines.Add(new Line(
                    long.Parse(r["transaction_id"].Span, CultureInfo.InvariantCulture), int.Parse(r["line_no"].Span,
                        CultureInfo.InvariantCulture),
                    DateTimeOffset.ParseExact(r["sold_at"].ToString(), "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                    r["store_code"].ToString(), r["sku"].ToString(), r["category"].ToString(), int.Parse(r["quantity"].Span,
                        CultureInfo.InvariantCulture),
                    Pence(r["unit_price"].ToString()), Pence(r["discount"].ToString()), Pence(r["line_total"].ToString()),
                    r["payment_method"].ToString(), r["channel"].ToString(), r["customer_id"].ToString(), r["return_of"].ToString()));
            }
        }
        return lines;
    }

    public static long Pence(string money) => (long)(decimal.Parse(money, CultureInfo.InvariantCulture) * 100m);

    public Task DisposeAsync()
    {
        Dir.Dispose();
        return Task.CompletedTask;
    }
}
