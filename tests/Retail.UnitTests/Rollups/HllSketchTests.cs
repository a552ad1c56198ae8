using Retail.Data.Rollups;

namespace Retail.UnitTests.Rollups;

/// <summary>
/// Fixed vectors from the hll extension 2.17 (Debian's postgresql-15-hll): hll_hash_integer(k) and the text form of
/// hll_add_agg(hll_hash_integer(k), 12). The integration tests compare against a live server over many sets.
/// </summary>
public sealed class HllSketchTests
{
    [Theory]
    [InlineData(0, -3485513579396041028)]
    [InlineData(1, -8604791237420463362)]
    [InlineData(42, 2913627637088662735)]
    [InlineData(-1, 4889297221962843713)]
    public void Hashes_as_hll_hash_integer(int key, long expected) => Assert.Equal(expected, HllSketch.HashInteger(key));

    [Fact]
    public void A_small_set_is_its_sorted_hashes_whatever_the_order_and_repeats()
    {
        long[] hashes = [HllSketch.HashInteger(42), HllSketch.HashInteger(1), HllSketch.HashInteger(42)];
        Assert.Equal("128C7F8895A3F5AF28CAFE286F48E61C6E34CF", Convert.ToHexString(Sketch(hashes)));
    }

    [Fact]
    public void Past_the_explicit_threshold_the_registers_take_over()
    {
        var hashes = Enumerable.Range(0, 321).Select(HllSketch.HashInteger).ToArray();
        var sketch = Sketch(hashes);
        Assert.Equal(0x13, sketch[0]); // sparse: version 1, type 3
        // 17 bits per filled register (12 of index, 5 of value): at most one per value; 321 values fill ~309 of 4,096.
        Assert.InRange(sketch.Length - 3, (17 * 250 + 7) / 8, (17 * 321 + 7) / 8);
    }

    /// <summary>
    /// The builder keeps values with repeats and makes them distinct when it holds 640: 320 values seen three times
    /// each stay explicit through that, and one more value makes registers of them, as in one pass over the set.
    /// </summary>
    [Theory]
    [InlineData(320, 0x12)]
    [InlineData(321, 0x13)]
    public void Repeats_past_the_builders_limit_end_as_the_distinct_set_does(int distinct, byte header)
    {
        var set = Enumerable.Range(0, distinct).Select(HllSketch.HashInteger).ToArray();
        var random = new Random(distinct);
        var repeated = set.Concat(set).Concat(set).OrderBy(_ => random.Next()).ToArray();
        var sketch = Sketch(repeated);
        Assert.Equal(header, sketch[0]);
        Assert.Equal(Sketch(set), sketch);
    }

    [Fact]
    public void Refuses_an_empty_set() => Assert.Throws<InvalidOperationException>(() => new HllSketch.Builder().ToBytes());

    internal static byte[] Sketch(IEnumerable<long> hashes)
    {
        var sketch = new HllSketch.Builder();
        foreach (var h in hashes)
        {
            sketch.Add(h);
        }
        return sketch.ToBytes();
    }
}
