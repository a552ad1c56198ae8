using System.Runtime.CompilerServices;

namespace Retail.Core.Generation;

/// <summary>
/// xoshiro256** seeded through SplitMix64: fast, and the same sequence on every machine and runtime,
/// which System.Random does not promise. Only integer arithmetic and exact double division are used.
/// </summary>
public struct Prng
{
    private ulong _s0, _s1, _s2, _s3;

    public Prng(ulong seed)
    {
        var sm = seed;
        _s0 = SplitMix(ref sm);
        _s1 = SplitMix(ref sm);
        _s2 = SplitMix(ref sm);
        _s3 = SplitMix(ref sm);
    }

    /// <summary>An independent stream for a sub-task (a day, a store), stable whatever runs in parallel.</summary>
    public static Prng For(ulong seed, long stream, long substream = 0)
    {
        var x = seed ^ 0x9E3779B97F4A7C15UL * (ulong)(stream + 1);
        x = Mix(x) ^ (0xD1B54A32D192ED03UL * (ulong)(substream + 1));
        return new Prng(Mix(x));
    }

    /// <summary>
    /// What <c>For(seed, stream, substream).NextUInt64()</c> returns, for a stream used for one draw only: the first
    /// output reads only the second word of the state, so the other three are not computed.
    /// </summary>
    public static ulong First(ulong seed, long stream, long substream)
    {
        var x = seed ^ 0x9E3779B97F4A7C15UL * (ulong)(stream + 1);
        x = Mix(Mix(x) ^ (0xD1B54A32D192ED03UL * (ulong)(substream + 1)));
        var s1 = Mix(unchecked(x + (2 * 0x9E3779B97F4A7C15UL)));
        return RotateLeft(s1 * 5, 7) * 9;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n) (Lemire's multiply-shift; the tiny bias is irrelevant here).</summary>
    public int Next(int n) => (int)(((NextUInt64() >> 32) * (ulong)n) >> 32);

    public int Next(int min, int maxExclusive) => min + Next(maxExclusive - min);

    public bool Chance(double p) => NextDouble() < p;

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        return Mix(x);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>
/// Cumulative weights for weighted picks. A guide table (the answer at each of 4n equal slices of the total) gives the
/// start, and a short walk the exact index, so a pick costs a comparison or two instead of a binary search.
/// </summary>
public sealed class WeightedPicker
{
    private readonly double[] _cumulative;
    private readonly bool _strictlyIncreasing;
    private readonly int[] _guide;
    private readonly double _slicesPerWeight;

    public WeightedPicker(IReadOnlyList<double> weights)
    {
        if (weights.Count == 0)
        {
            throw new ArgumentException("at least one weight is needed", nameof(weights));
        }
        _cumulative = new double[weights.Count];
        var sum = 0.0;
        _strictlyIncreasing = true;
        for (var i = 0; i < weights.Count; i++)
        {
            sum += weights[i];
            _strictlyIncreasing &= i == 0 || sum > _cumulative[i - 1];
            _cumulative[i] = sum;
        }
        var slices = 4 * weights.Count;
        _slicesPerWeight = sum > 0 ? slices / sum : 0;
        _guide = new int[slices + 1];
        for (int s = 0, i = 0; s <= slices; s++)
        {
            var edge = sum * s / slices;
            while (i < _cumulative.Length && _cumulative[i] <= edge)
            {
                i++;
            }
            _guide[s] = i;
        }
    }

    public int Count => _cumulative.Length;

    public int Pick(ref Prng rng) => IndexAt(rng.NextDouble() * _cumulative[^1]);

    /// <summary>The index a draw of <paramref name="x"/> (in [0, total weight)) picks.</summary>
    internal int IndexAt(double x)
    {
        var c = _cumulative;
        int i;
        if (_strictlyIncreasing)
        {
            // How many cumulative weights are <= x: with no repeated value this is exactly what Array.BinarySearch
            // gave (the match's index + 1, or the insertion point). The guide is only where the walk starts: the two
            // loops end where c[i - 1] <= x < c[i] whatever the start, so rounding in the slice cannot change a pick.
            i = _guide[Math.Min((int)(x * _slicesPerWeight), _guide.Length - 1)];
            while (i > 0 && c[i - 1] > x)
            {
                i--;
            }
            while (i < c.Length && c[i] <= x)
            {
                i++;
            }
        }
        else
        {
            // A zero weight repeats a value, and which equal entry BinarySearch lands on is its own business: keep it.
            i = Array.BinarySearch(c, x);
            i = i < 0 ? ~i : i + 1;
        }
        return Math.Min(i, c.Length - 1);
    }
}
