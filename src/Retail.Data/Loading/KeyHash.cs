namespace Retail.Data.Loading;

/// <summary>The hash of the loader's flat key tables (<see cref="PackedKeyMap"/>, <see cref="FactKeySet"/>).</summary>
internal static class KeyHash
{
    /// <summary>
    /// Fibonacci hashing: packed ids differ mostly in their low digits, which this spreads over every bit; a table of
    /// 2^n slots takes the top n bits.
    /// </summary>
    public static ulong Spread(long key) => (ulong)key * 0x9E3779B97F4A7C15UL;
}
