using Retail.Core.Generation;

namespace Retail.UnitTests.Generation;

/// <summary>The picker's own search must land where Array.BinarySearch over the same cumulative weights did.</summary>
public sealed class WeightedPickerTests
{
    private static double[] Cumulative(double[] weights)
    {
        var cumulative = new double[weights.Length];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            cumulative[i] = sum;
        }
        return cumulative;
    }

    /// <summary>The pick the generator's recorded output was made with: Array.BinarySearch on the running sums.</summary>
    private static int ReferenceIndex(double[] cumulative, double x)
    {
        var at = Array.BinarySearch(cumulative, x);
        at = at < 0 ? ~at : at + 1;
        return Math.Min(at, cumulative.Length - 1);
    }

    public static TheoryData<double[]> Weights() => new()
    {
        new[] { 1.0 },
        new[] { 0, 0.42, 0.25, 0.15, 0.09, 0.05, 0.025, 0.01, 0.005 },
        Enumerable.Range(0, 97).Select(r => 1.0 / (r + 1)).ToArray(),
        new[] { 2.0, 0, 0, 3.0, 0, 1.0, 0 },
        new[] { 0.1, 0.2, 0.30000000000000004, 0.4 },
    };

    [Theory]
    [MemberData(nameof(Weights))]
    public void Picks_the_same_index_as_a_binary_search_for_every_draw(double[] weights)
    {
        var picker = new WeightedPicker(weights);
        var cumulative = Cumulative(weights);
        var a = Prng.For(5, 3);
        var b = Prng.For(5, 3);
        for (var i = 0; i < 100_000; i++)
        {
            Assert.Equal(ReferenceIndex(cumulative, b.NextDouble() * cumulative[^1]), picker.Pick(ref a));
        }
    }

    [Theory]
    [MemberData(nameof(Weights))]
    public void A_draw_exactly_on_a_boundary_or_next_to_it_picks_the_same_index_as_a_binary_search(double[] weights)
    {
        var picker = new WeightedPicker(weights);
        var cumulative = Cumulative(weights);
        foreach (var edge in cumulative.Prepend(0))
        {
            foreach (var x in new[] { Math.BitDecrement(edge), edge, Math.BitIncrement(edge) }.Where(x => x >= 0))
            {
                Assert.Equal(ReferenceIndex(cumulative, x), picker.IndexAt(x));
            }
        }
    }
}

/// <summary>The one-draw shortcut must give what building the whole stream gives.</summary>
public sealed class PrngTests
{
    [Theory]
    [InlineData(0UL, 0L)]
    [InlineData(20_260_101UL, 9001L)]
    [InlineData(ulong.MaxValue, long.MaxValue - 1)]
    public void First_is_the_first_draw_of_the_stream(ulong seed, long stream)
    {
        for (long substream = -3; substream < 100_000; substream++)
        {
            Assert.Equal(Prng.For(seed, stream, substream).NextUInt64(), Prng.First(seed, stream, substream));
        }
    }
}
