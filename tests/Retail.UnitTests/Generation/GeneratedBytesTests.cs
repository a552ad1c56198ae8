using System.Security.Cryptography;
using System.Text;
using Retail.Core.Generation;

namespace Retail.UnitTests.Generation;

/// <summary>
/// The generator's output is part of its contract (same seed ⇒ same bytes, in every version that keeps
/// Manifest.GeneratorVersion): these hashes were taken from the generator before it was split into planner, encoder
/// and fault injector, and must not move when its code is reorganised.
/// </summary>
public sealed class GeneratedBytesTests
{
    /// <summary>SHA-256 of every day's bytes, one after another, then the days' faults and totals.</summary>
    private static string Hash(GeneratorOptions options)
    {
        var generator = SalesGenerator.Create(options);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var faults = new StringBuilder();
        foreach (var day in generator.Days)
        {
            using var bytes = new MemoryStream();
            var result = generator.WriteDay(day, $"day{day.Index}.csv", bytes);
            sha.AppendData(bytes.GetBuffer(), 0, (int)bytes.Length);
            foreach (var f in result.Faults)
            {
                faults.Append($"{f.File}:{f.Line}:{f.Kind};");
            }
            faults.Append($"{result.Rows}/{result.ValidRows}/{result.Units}/{result.RevenuePence}|");
        }
        sha.AppendData(Encoding.UTF8.GetBytes(faults.ToString()));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    [Fact]
    public void Clean_data_is_byte_identical_to_the_recorded_output() =>
        Assert.Equal(CleanHash, Hash(new GeneratorOptions(20_000, 7, new DateOnly(2025, 11, 20), new DateOnly(2025, 12, 5))));

    [Fact]
    public void Dirty_data_with_every_fault_kind_is_byte_identical_to_the_recorded_output() =>
        Assert.Equal(DirtyHash,
            Hash(new GeneratorOptions(20_000, 7, new DateOnly(2025, 11, 20), new DateOnly(2025, 12, 5), DirtyRate: 0.05)));

    /// <summary>
    /// A busy Saturday and Sunday (~10,000 receipts per store-day, so many share a second): pins the order the planner's
    /// unstable sort by time leaves such receipts in, which the receipt numbers and every later line depend on. Taken
    /// from the generator before the planner sorted packed keys instead of whole receipts (a stable sort fails it).
    /// </summary>
    [Fact]
    public void A_busy_weekend_with_receipts_sharing_a_second_is_byte_identical_to_the_recorded_output() =>
        Assert.Equal(BusyHash, Hash(new GeneratorOptions(600_000, 7, new DateOnly(2025, 12, 20), new DateOnly(2025, 12, 21))));

    private const string BusyHash = "952ea61f26e2773d184914167c8e3dd0d0d9c836ced37e462dc91939c2a3793f";
    private const string CleanHash = "49e0361a4a9e4eabad665fed97df40649c21d72fe3969f4519c19a166d39b473";
    private const string DirtyHash = "f5da98dc41f34f03e9c1005aeb2ad348b2ae4de9710924dd4e6b435ee37e6625";
}
