namespace Retail.Data.Loading;

/// <summary>The hash of the loader's flat key tables (<see cref="PackedKeyMap"/>, <see cref="FactKeySet"/>,
/// <see cref="ReceiptKeySet"/>) and the size of the unsegmented ones.</summary>
internal static class KeyHash
{
    /// <summary>
    /// Fibonacci hashing: packed ids differ mostly in their low digits, which this spreads over every bit; a table of
    /// 2^n slots takes the top n bits.
    /// </summary>
    public static ulong Spread(long key) => (ulong)key * 0x9E3779B97F4A7C15UL;

    /// <summary>The power-of-two table size, at least 1,024 slots, that holds <paramref name="expected"/> keys at most 3/4 full.</summary>
    public static int Capacity(long expected)
    {
        var capacity = 1 << 10;
        while (capacity < (1 << 30) && expected * 4 > capacity * 3L)
        {
            capacity <<= 1;
        }
        return capacity;
    }
}
