using Retail.Data.Loading;

namespace Retail.UnitTests.Loading;

/// <summary>The duplicate check's key set: exact membership for packed and unpackable keys, sized or grown.</summary>
public sealed class FactKeySetTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(50_000)]
    public void Holds_every_key_once_and_nothing_else_whether_sized_or_grown(long expected)
    {
        var set = new FactKeySet(expected);
        var reference = new HashSet<(long, short)>();
        var rng = new Random(11);
        for (var i = 0; i < 120_000; i++)
        {
            // Receipts of one to a few lines with consecutive ids, some far apart, and some keys seen twice.
            var key = i % 7 == 0 && reference.Count > 0
                ? reference.ElementAt(rng.Next(Math.Min(reference.Count, 50)))
                : (i % 13 == 0 ? rng.NextInt64(1, 1L << 53) : 1_000_000 + (i / 3), (short)(1 + (i % 3)));
            Assert.Equal(reference.Add(key), set.Add(key.Item1, key.Item2));
        }
        Assert.Equal(reference.Count, set.Count);
        foreach (var (id, line) in reference)
        {
            Assert.True(set.Contains(id, line), $"{id}/{line} lost");
        }
        Assert.False(set.Contains(1_000_000, 4));
        Assert.False(set.Contains(999, 1));
    }

    [Fact]
    public void Keys_that_differ_only_in_line_or_only_in_transaction_are_different()
    {
        var set = new FactKeySet();
        Assert.True(set.Add(1, 999));
        Assert.True(set.Add(2, 1));
        Assert.True(set.Add(1, 1));
        Assert.False(set.Add(1, 999));
        Assert.False(set.Contains(2, 999));
        Assert.False(set.Contains(1, 2));
        Assert.Equal(3, set.Count);
    }

    [Fact]
    public void Transaction_ids_too_large_to_pack_are_still_checked_exactly()
    {
        var set = new FactKeySet(10);
        const long huge = long.MaxValue;
        const long edge = 1L << 53;
        Assert.True(set.Add(huge, 1));
        Assert.True(set.Add(edge, 1));
        Assert.True(set.Add(edge - 1, 1));
        Assert.False(set.Add(huge, 1));
        Assert.False(set.Add(edge, 1));
        Assert.True(set.Contains(edge - 1, 1));
        Assert.False(set.Contains(huge, 2));
        Assert.Equal(3, set.Count);
    }
}
