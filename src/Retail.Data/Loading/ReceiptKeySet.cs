namespace Retail.Data.Loading;

/// <summary>
/// A file's duplicate check, one slot per receipt rather than per line: a receipt whose lines come as 1, 2, 3… (as
/// tills export them) is one packed long, its transaction and how many of its first lines have been seen. Any other
/// line (out of order, after a gap, or not packable) goes to an exact <see cref="FactKeySet"/> beside it. The peak
/// December day of the 100M-line year, 777k lines on 349k receipts, needs 4 MB of slots where a slot per line took 8.
/// One writer; not thread-safe.
/// </summary>
internal sealed class ReceiptKeySet
{
    private const int LineBits = FactKeySet.LineBits;
    private const long LineMask = (1L << LineBits) - 1;

    private readonly FactKeySet _other = new();
    private long[] _slots;
    private int _shift;
    private int _receipts;

    /// <param name="expectedReceipts">How many receipts the file likely holds (0 when unknown): the table starts that large.</param>
    public ReceiptKeySet(long expectedReceipts = 0)
    {
        _slots = new long[KeyHash.Capacity(expectedReceipts)];
        _shift = 64 - int.Log2(_slots.Length);
    }

    /// <summary>How many distinct keys were added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds the key; false when it was already there.</summary>
    public bool Add(long transactionId, short lineNo)
    {
        if (transactionId is <= 0 or >= FactKeySet.PackLimit || lineNo is <= 0 or > (short)LineMask)
        {
            return Counted(_other.Add(transactionId, lineNo));
        }
        if ((_receipts + 1) * 4L > _slots.Length * 3L)
        {
            Grow();
        }
        var i = Probe(transactionId);
        var slot = _slots[i];
        if (slot == 0)
        {
            // The receipt's first line seen: no line of it can be in the side set yet (each one found this slot first).
            _slots[i] = (transactionId << LineBits) | (lineNo == 1 ? 1L : 0L);
            _receipts++;
            return lineNo == 1 ? Counted(true) : Counted(_other.Add(transactionId, lineNo));
        }
        var run = slot & LineMask;
        if (lineNo <= run)
        {
            return false;
        }
        if (lineNo == run + 1)
        {
            // The next line of the run, unless it came earlier out of order and sits in the side set.
            if (_other.Contains(transactionId, lineNo))
            {
                return false;
            }
            _slots[i] = slot + 1;
            return Counted(true);
        }
        return Counted(_other.Add(transactionId, lineNo));
    }

    private bool Counted(bool added)
    {
        if (added)
        {
            Count++;
        }
        return added;
    }

    /// <summary>The slot holding the transaction, or the empty slot where it belongs (linear probing from its hash).</summary>
    private int Probe(long transactionId)
    {
        var mask = _slots.Length - 1;
        var i = (int)(KeyHash.Spread(transactionId) >> _shift);
        while (_slots[i] != 0 && _slots[i] >> LineBits != transactionId)
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
        foreach (var slot in old)
        {
            if (slot != 0)
            {
                _slots[Probe(slot >> LineBits)] = slot;
            }
        }
    }
}
