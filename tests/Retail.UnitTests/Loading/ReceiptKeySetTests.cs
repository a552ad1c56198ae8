using Retail.Data.Loading;

namespace Retail.UnitTests.Loading;

/// <summary>The per-receipt duplicate check: the same answers as an exact set of (transaction, line) keys, whatever the order.</summary>
public sealed class ReceiptKeySetTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(40_000)]
    public void Answers_as_an_exact_set_for_runs_gaps_repeats_and_lines_out_of_order(long expectedReceipts)
    {
        var set = new ReceiptKeySet(expectedReceipts);
        var reference = new HashSet<(long, short)>();
        var rng = new Random(5);
        var keys = new List<(long, short)>();
        for (var receipt = 0; receipt < 60_000; receipt++)
        {
            var id = receipt % 17 == 0 ? rng.NextInt64(1, long.MaxValue) : 2025122408000001L + receipt;
            var lines = Enumerable.Range(1, rng.Next(1, 6)).Select(l => (short)l).ToList();
            switch (receipt % 5)
            {
                case 1: // out of order
                    lines.Reverse();
                    break;
                case 2: // a gap, then the missing line
                    lines.Add((short)(lines.Count + 2));
                    lines.Add((short)(lines.Count));
                    break;
                case 3: // a line twice within the receipt
                    lines.Add(lines[0]);
                    break;
            }
            keys.AddRange(lines.Select(l => (id, l)));
            if (receipt % 11 == 0 && keys.Count > 100)
            {
                keys.Add(keys[rng.Next(keys.Count - 100)]); // an earlier receipt's line again, far away
            }
        }
        keys.Add((7, 999));
        keys.Add((7, 1000)); // beyond the run's ten bits of lines: the side set
        keys.Add((7, 1000));
        keys.Add((7, -1));
        foreach (var (id, line) in keys)
        {
            Assert.True(reference.Add((id, line)) == set.Add(id, line), $"{id}/{line}");
        }
        Assert.Equal(reference.Count, set.Count);
    }

    [Fact]
    public void A_line_seen_out_of_order_is_a_duplicate_when_the_run_reaches_it()
    {
        var set = new ReceiptKeySet();
        Assert.True(set.Add(10, 2));
        Assert.True(set.Add(10, 1));
        Assert.False(set.Add(10, 2));
        Assert.True(set.Add(10, 3));
        Assert.False(set.Add(10, 1));
        Assert.True(set.Add(11, 1));
        Assert.False(set.Add(11, 1));
        Assert.Equal(4, set.Count);
    }
}
