namespace Retail.Data.Loading;

/// <summary>
/// A set of (transaction, line) keys: those already in the warehouse for a file's dates (the slow path after a key
/// conflict), and the lines a <see cref="ReceiptKeySet"/> cannot fold into a receipt's run. Each key packed in one long
/// (line numbers are 1–999, so ten bits) in one flat array, open addressing, at most 3/4 full: 11–21 bytes a key, where
/// a <c>HashSet&lt;(long, short)&gt;</c> took ~30. Keys too large to pack (transaction ids of 2^53 and over) go to a
/// small side set. One writer; not thread-safe.
/// </summary>
internal sealed class FactKeySet
{
    /// <summary>A packed key's line number bits (line numbers are 1–999) and the transaction ids that fit beside them.</summary>
    internal const int LineBits = 10;
    internal const long PackLimit = 1L << (63 - LineBits);

    private long[] _slots;
    private int _shift;
    private int _packed;
    private HashSet<(long, short)>? _wide;

    /// <param name="expected">How many keys the set will likely hold (0 when unknown): it starts that large.</param>
    public FactKeySet(long expected = 0)
    {
        _slots = new long[KeyHash.Capacity(expected)];
        _shift = 64 - int.Log2(_slots.Length);
    }

    public int Count => _packed + (_wide?.Count ?? 0);

    /// <summary>Adds the key; false when it was already there.</summary>
    public bool Add(long transactionId, short lineNo)
    {
        if (Pack(transactionId, lineNo) is not { } key)
        {
            return (_wide ??= []).Add((transactionId, lineNo));
        }
        if ((_packed + 1) * 4L > _slots.Length * 3L)
        {
            Grow();
        }
        var i = Probe(key);
        if (_slots[i] == key)
        {
            return false;
        }
        _slots[i] = key;
        _packed++;
        return true;
    }

    public bool Contains(long transactionId, short lineNo) =>
        Pack(transactionId, lineNo) is { } key
            ? _slots[Probe(key)] == key
            : _wide?.Contains((transactionId, lineNo)) ?? false;

    /// <summary>Transaction ids are positive and line numbers 1–999 (the validator's rules), so no packed key is 0.</summary>
    private static long? Pack(long transactionId, short lineNo) =>
        transactionId is > 0 and < PackLimit && lineNo is > 0 and < 1 << LineBits
            ? (transactionId << LineBits) | (long)lineNo
            : null;

    /// <summary>The slot holding the key, or the empty slot where it belongs (linear probing from its hash).</summary>
    private int Probe(long key)
    {
        var mask = _slots.Length - 1;
        var i = (int)(KeyHash.Spread(key) >> _shift);
        while (_slots[i] != key && _slots[i] != 0)
        {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void Grow()
    {
        var old = _slots;
        _slots = new long[old.Length * 2];
        _shift--;
        foreach (var key in old)
        {
            if (key != 0)
            {
                _slots[Probe(key)] = key;
            }
        }
    }
}
