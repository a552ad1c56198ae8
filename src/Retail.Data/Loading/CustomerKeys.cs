using System.Collections.Concurrent;

namespace Retail.Data.Loading;

/// <summary>
/// Loyalty customer id → surrogate key, for millions of customers at a flat cost. Ids shaped like most loyalty
/// numbers (an optional capital letter, then 1–15 digits, e.g. "C1155073") are packed into one long and kept in a
/// <see cref="PackedKeyMap"/> (13–19 bytes an entry, against ~90 for a node plus a string). Any other id is kept as
/// text. Thread-safe: file workers read while a finished batch or the dimension pass adds members.
/// </summary>
internal sealed class CustomerKeys
{
    private readonly PackedKeyMap _packed = new();
    private readonly ConcurrentDictionary<string, int> _text = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _textLookup;

    public CustomerKeys() => _textLookup = _text.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _packed.Count + _text.Count;

    public bool TryGet(ReadOnlySpan<char> id, out int key) =>
        TryPack(id, out var packed) ? _packed.TryGetValue(packed, out key) : _textLookup.TryGetValue(id, out key);

    public void Set(string id, int key)
    {
        if (TryPack(id, out var packed))
        {
            _packed.Set(packed, key);
        }
        else
        {
            _text[id] = key;
        }
    }

    /// <summary>
    /// Letter (1–26, 0 for none) in bits 54–58, digit count (1–15) in bits 50–53, the number below 10^15 &lt; 2^50:
    /// distinct ids never share a packing ("C01" and "C1" differ in digit count).
    /// </summary>
    internal static bool TryPack(ReadOnlySpan<char> id, out long packed)
    {
        packed = 0;
        long letter = 0;
        if (!id.IsEmpty && id[0] is >= 'A' and <= 'Z')
        {
            letter = id[0] - 'A' + 1;
            id = id[1..];
        }
        if (id.IsEmpty || id.Length > 15)
        {
            return false;
        }
        long number = 0;
        foreach (var c in id)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            number = number * 10 + (c - '0');
        }
        packed = (letter << 54) | ((long)id.Length << 50) | number;
        return true;
    }
}
