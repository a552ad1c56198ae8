namespace Retail.Data.Loading;

/// <summary>
/// Positive long → int for millions of entries in flat arrays (open addressing, linear probing): 12 bytes a slot and
/// at most 3/4 full, so 16–32 bytes an entry, where a ConcurrentDictionary costs a ~40-byte node per entry (at 100M
/// lines: 2.2M customers, ~50 MB against ~100 MB, and no millions of nodes kept in gen 2). The table is split into
/// 64 segments that grow one at a time: one table doubling at once held its old and new arrays together (24 + 48 MB
/// at 1.5M customers, the loader's peak RSS at 100M lines). (1,024 segments, small enough to stay out of the large
/// object heap, peaked 10–15 MB higher on December of that year.) Many readers and one writer at a time: readers take
/// no lock, since a writer stores an entry's value before its key and a resize publishes a complete new segment.
/// 0 marks an empty slot.
/// </summary>
internal sealed class PackedKeyMap
{
    private const int SegmentBits = 6;
    private const int InitialSegmentCapacity = 16;

    private readonly Lock _writing = new();
    private readonly Segment[] _segments = new Segment[1 << SegmentBits];
    private int _count;

    public PackedKeyMap()
    {
        for (var i = 0; i < _segments.Length; i++)
        {
            _segments[i] = new Segment(InitialSegmentCapacity);
        }
    }

    public int Count => Volatile.Read(ref _count);

    public bool TryGetValue(long key, out int value)
    {
        var hash = KeyHash.Spread(key);
        var t = Volatile.Read(ref _segments[hash >>> (64 - SegmentBits)]);
        var mask = t.Keys.Length - 1;
        for (var i = t.Slot(hash); ; i = (i + 1) & mask)
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
        var hash = KeyHash.Spread(key);
        var s = (int)(hash >>> (64 - SegmentBits));
        lock (_writing)
        {
            var t = _segments[s];
            if ((t.Count + 1) * 4L > t.Keys.Length * 3L)
            {
                t = t.Grown();
                // Readers still in the old segment find everything it held; later entries go to the new one only.
                Volatile.Write(ref _segments[s], t);
            }
            if (t.Put(key, hash, value))
            {
                Volatile.Write(ref _count, _count + 1);
            }
        }
    }

    private sealed class Segment(int capacity)
    {
        public readonly long[] Keys = new long[capacity];
        public readonly int[] Values = new int[capacity];
        private readonly int _shift = 64 - int.Log2(capacity);

        public int Count { get; private set; }

        /// <summary>The hash's bits after the segment's own.</summary>
        public int Slot(ulong hash) => (int)((hash << SegmentBits) >>> _shift);

        public Segment Grown()
        {
            var grown = new Segment(Keys.Length * 2);
            for (var i = 0; i < Keys.Length; i++)
            {
                if (Keys[i] != 0)
                {
                    grown.Put(Keys[i], KeyHash.Spread(Keys[i]), Values[i]);
                }
            }
            return grown;
        }

        /// <summary>Stores the entry; true when the key is new.</summary>
        public bool Put(long key, ulong hash, int value)
        {
            var mask = Keys.Length - 1;
            for (var i = Slot(hash); ; i = (i + 1) & mask)
            {
                var k = Keys[i];
                if (k == key)
                {
                    Volatile.Write(ref Values[i], value);
                    return false;
                }
                if (k == 0)
                {
                    Values[i] = value;
                    Volatile.Write(ref Keys[i], key);
                    Count++;
                    return true;
                }
            }
        }
    }
}
