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
    private static string Hash(GeneratorOptions options)
    {
        var generator = SalesGenerator.Create(options);
        using var all = new MemoryStream();
        var faults = new StringBuilder();
        foreach (var day in generator.Days)
        {
            var result = generator.WriteDay(day, $"day{day.Index}.csv", all);
            foreach (var f in result.Faults)
            {
                faults.Append($"{f.File}:{f.Line}:{f.Kind};");
            }
            faults.Append($"{result.Rows}/{result.ValidRows}/{result.Units}/{result.RevenuePence}|");
        }
        all.Write(Encoding.UTF8.GetBytes(faults.ToString()));
        return Convert.ToHexStringLower(SHA256.HashData(all.ToArray()));
    }

    [Fact]
    public void Clean_data_is_byte_identical_to_the_recorded_output() =>
        Assert.Equal(CleanHash, Hash(new GeneratorOptions(20_000, 7, new DateOnly(2025, 11, 20), new DateOnly(2025, 12, 5))));

    [Fact]
    public void Dirty_data_with_every_fault_kind_is_byte_identical_to_the_recorded_output() =>
        Assert.Equal(DirtyHash,
            Hash(new GeneratorOptions(20_000, 7, new DateOnly(2025, 11, 20), new DateOnly(2025, 12, 5), DirtyRate: 0.05)));

    private const string CleanHash = "49e0361a4a9e4eabad665fed97df40649c21d72fe3969f4519c19a166d39b473";
    private const string DirtyHash = "f5da98dc41f34f03e9c1005aeb2ad348b2ae4de9710924dd4e6b435ee37e6625";
}
