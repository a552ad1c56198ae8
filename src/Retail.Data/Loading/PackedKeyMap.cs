namespace Retail.Data.Loading;

/// <summary>
/// Positive long → int for millions of entries in two flat arrays (open addressing, linear probing): 12 bytes a slot
/// and at most 3/4 full, so 16–32 bytes an entry and two objects for the collector to trace, where a
/// ConcurrentDictionary costs a ~40-byte node per entry (at 100M lines: 2.2M customers, ~50 MB against ~100 MB, and
/// no millions of nodes kept in gen 2). Many readers and one writer at a time: readers take no lock, since a writer
/// stores an entry's value before its key and a resize publishes a complete new table. 0 marks an empty slot.
/// </summary>
internal sealed class PackedKeyMap
{
    private const int InitialCapacity = 1 << 10;

    private readonly Lock _writing = new();
    private volatile Table _table = new(InitialCapacity);

    public int Count => _table.Count;

    public bool TryGetValue(long key, out int value)
    {
        var t = _table;
        var mask = t.Keys.Length - 1;
        for (var i = t.Slot(key); ; i = (i + 1) & mask)
        {
            var k = Volatile.Read(ref t.Keys[i]);
            if (k == 0)
            {
                value = 0;
                return false;
            }
            if (k == key)
            {
                value = Volatile.Read(ref t.Values[i]);
                return true;
            }
        }
    }

    /// <summary>Adds the entry, or replaces the value of one already there.</summary>
    public void Set(long key, int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(key);
        lock (_writing)
        {
            var t = _table;
            if ((t.Count + 1) * 4L > t.Keys.Length * 3L)
            {
                t = Grow(t);
            }
            t.Put(key, value);
        }
    }

    private Table Grow(Table old)
    {
        var grown = new Table(old.Keys.Length * 2);
        for (var i = 0; i < old.Keys.Length; i++)
        {
            if (old.Keys[i] != 0)
            {
                grown.Put(old.Keys[i], old.Values[i]);
            }
        }
        // Readers still in the old table find everything it held; later entries go to the new one only.
        _table = grown;
        return grown;
    }

    private sealed class Table(int capacity)
    {
        public readonly long[] Keys = new long[capacity];
        public readonly int[] Values = new int[capacity];
        private readonly int _shift = 64 - int.Log2(capacity);

        public int Count { get; private set; }

        /// <summary>Fibonacci hashing: packed ids differ mostly in their low digits, which this spreads over the table.</summary>
        public int Slot(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> _shift);

        public void Put(long key, int value)
        {
            var mask = Keys.Length - 1;
            for (var i = Slot(key); ; i = (i + 1) & mask)
            {
                var k = Keys[i];
                if (k == key)
                {
                    Volatile.Write(ref Values[i], value);
                    return;
                }
                if (k == 0)
                {
                    Values[i] = value;
                    Volatile.Write(ref Keys[i], key);
                    Count++;
                    return;
                }
            }
        }
    }
}
