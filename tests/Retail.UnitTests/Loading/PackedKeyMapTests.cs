using Retail.Data.Loading;

namespace Retail.UnitTests.Loading;

/// <summary>The customer key map: every entry found with its value across many resizes, even while readers race a writer.</summary>
public sealed class PackedKeyMapTests
{
    [Fact]
    public void Finds_every_entry_and_only_those_across_resizes()
    {
        var map = new PackedKeyMap();
        var expected = new Dictionary<long, int>();
        var rng = new Random(5);
        for (var i = 0; i < 200_000; i++)
        {
            // Packed ids are large and clustered in their low digits; a few random ones exercise probing.
            var key = i % 10 == 0 ? rng.NextInt64(1, long.MaxValue) : (1L << 50) + (i * 3);
            expected[key] = i + 1;
            map.Set(key, i + 1);
        }
        Assert.Equal(expected.Count, map.Count);
        foreach (var (key, value) in expected)
        {
            Assert.True(map.TryGetValue(key, out var found), $"key {key} lost");
            Assert.Equal(value, found);
        }
        Assert.False(map.TryGetValue((1L << 50) + 1, out _));
        Assert.False(map.TryGetValue(42, out _));
    }

    [Fact]
    public void Setting_a_key_again_replaces_its_value_without_adding_an_entry_and_keeps_the_old_value_its_own()
    {
        var map = new PackedKeyMap();
        map.Set(7, 1);
        map.Set(7, 2);
        Assert.Equal(1, map.Count);
        Assert.True(map.TryGetValue(7, out var v) && v == 2);
        // Handing 1 on would let a reader still probing past 7's slot miss 7.
        Assert.Throws<InvalidOperationException>(() => map.Set(8, 1));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-5L)]
    public void Zero_and_negative_keys_are_refused(long key) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PackedKeyMap().Set(key, 1));

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Zero_and_negative_values_are_refused(int value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PackedKeyMap().Set(1, value));

    [Fact]
    public void A_value_already_given_to_one_key_is_refused_for_another()
    {
        var map = new PackedKeyMap();
        map.Set(7, 3);
        map.Set(7, 3);
        Assert.Throws<InvalidOperationException>(() => map.Set(8, 3));
        Assert.True(map.TryGetValue(7, out var v) && v == 3);
        Assert.False(map.TryGetValue(8, out _));
    }

    [Fact]
    public void Values_far_apart_are_found_each_with_its_own_key()
    {
        // Sequence gaps and ids kept as text leave holes in the values; the largest int is a value like any other.
        var map = new PackedKeyMap();
        int[] values = [1, 65_535, 65_536, 1_000_000, int.MaxValue - 1, int.MaxValue];
        foreach (var v in values)
        {
            map.Set(Key(v % 1_000_000), v);
        }
        Assert.Equal(values.Length, map.Count);
        Assert.All(values, v => Assert.True(map.TryGetValue(Key(v % 1_000_000), out var found) && found == v));
    }

    [Fact]
    public async Task Readers_racing_a_writer_never_see_a_wrong_value_and_find_everything_afterwards()
    {
        const int n = 300_000;
        var map = new PackedKeyMap();
        var written = 0;
        var wrong = 0;
        var duringWrites = 0;
        using var stop = new CancellationTokenSource();
        using var ready = new CountdownEvent(3);
        var readers = Enumerable.Range(0, 3).Select(seed => Task.Run(() =>
        {
            var rng = new Random(seed);
            ready.Signal();
            while (!stop.IsCancellationRequested)
            {
                var upTo = Volatile.Read(ref written);
                if (upTo == 0)
                {
                    continue;
                }
                var i = rng.Next(upTo);
                // Everything written before `written` was read must be found, with its own value.
                if (!map.TryGetValue(Key(i), out var v) || v != i + 1)
                {
                    Interlocked.Increment(ref wrong);
                }
                if (upTo < n)
                {
                    Interlocked.Increment(ref duringWrites);
                }
            }
        })).ToArray();
        // The writer starts once every reader runs, so reads overlap the inserts and the resizes.
        Assert.True(ready.Wait(TimeSpan.FromSeconds(30)), "the readers did not start");
        for (var i = 0; i < n; i++)
        {
            map.Set(Key(i), i + 1);
            Volatile.Write(ref written, i + 1);
        }
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.Equal(0, wrong);
        Assert.True(duringWrites > 0, "no read overlapped the writes: the race was not exercised");
        Assert.All(Enumerable.Range(0, n), i => Assert.True(map.TryGetValue(Key(i), out var v) && v == i + 1));
    }

    private static long Key(int i) => (3L << 54) | (7L << 50) | (long)i;
}
