using System.Runtime.InteropServices;

namespace Retail.Data.Loading;

/// <summary>
/// Each loyalty customer's earliest line in one file (by sold_at, then store: the batch is the file's), gathered while
/// the file streams past, so publishing it never re-reads or sorts the batch's facts. One entry per distinct customer in
/// the file (~40 bytes with the map's overhead: ~3.3 MB for the 81,724 customers of a December day of the 100M-line year),
/// dropped with the file.
/// </summary>
internal sealed class FirstPurchaseAccumulator
{
    private readonly Dictionary<int, FirstLine> _firsts = [];
    private (int Customer, FirstLine Line)[] _sorted = [];
    private int _sortedCount = -1;

    /// <summary>A customer's earliest line so far: when (UTC ticks), its sale date and its store.</summary>
    public readonly record struct FirstLine(long SoldAtTicks, DateOnly Date, short Store)
    {
        public bool IsBefore(in FirstLine other) =>
            SoldAtTicks < other.SoldAtTicks || (SoldAtTicks == other.SoldAtTicks && Store < other.Store);
    }

    public int Count => _firsts.Count;

    public void Add(in SaleRow r)
    {
        if (r.CustomerKey != 0)
        {
            Add(r.CustomerKey, new FirstLine(r.SoldAtUtc.Ticks, r.SaleDate, r.StoreKey));
        }
    }

    public void Add(int customer, FirstLine line)
    {
        _sortedCount = -1;
        ref var kept = ref CollectionsMarshal.GetValueRefOrAddDefault(_firsts, customer, out var exists);
        if (!exists || line.IsBefore(kept))
        {
            kept = line;
        }
    }

    /// <summary>Replaces customer keys that lost an upsert race (the facts are remapped the same way).</summary>
    public void Remap(IReadOnlyDictionary<int, int> customers)
    {
        if (customers.Count == 0)
        {
            return;
        }
        var moved = _firsts.Where(kv => customers.ContainsKey(kv.Key)).ToList();
        _sortedCount = -1;
        foreach (var (key, _) in moved)
        {
            _firsts.Remove(key);
        }
        foreach (var (key, line) in moved)
        {
            Add(customers[key], line);
        }
    }

    /// <summary>
    /// The entries in customer order (the order of the first-purchase table's primary key), sorted once for the copy and
    /// the settle step alike (a sort each allocated ~20 bytes an entry); valid until the next change.
    /// </summary>
    public ReadOnlySpan<(int Customer, FirstLine Line)> Sorted()
    {
        if (_sortedCount < 0)
        {
            if (_sorted.Length < _firsts.Count)
            {
                _sorted = new (int, FirstLine)[_firsts.Count];
            }
            var i = 0;
            foreach (var (customer, line) in _firsts)
            {
                _sorted[i++] = (customer, line);
            }
            _sorted.AsSpan(0, i).Sort(static (a, b) => a.Customer.CompareTo(b.Customer));
            _sortedCount = i;
        }
        return _sorted.AsSpan(0, _sortedCount);
    }
}
