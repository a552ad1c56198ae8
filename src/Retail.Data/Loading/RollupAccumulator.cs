using System.Runtime.InteropServices;
using Npgsql;
using Retail.Data.Rollups;

namespace Retail.Data.Loading;

/// <summary>
/// Builds the dashboard rollups while the file streams past, so the database never re-reads the facts for them.
/// Receipts are assumed to be on consecutive lines (as tills export them); a receipt split across distant lines
/// counts once per fragment. A return line is one with a negative quantity; a refund-only receipt has nothing else.
/// Rollups/rederive_month.sql is the same definition in SQL (tests hold the two to the facts).
/// </summary>
internal sealed class RollupAccumulator
{
    private readonly Dictionary<(DateOnly Date, short Store, short Category, byte Hour), HourTotals> _hourly = [];
    private readonly Dictionary<(DateOnly Date, short Store, int Product), (short Category, int Units, long Revenue)> _products = [];
    private readonly Dictionary<(DateOnly Date, short Store, int Mask), (int Receipts, int RefundOnly)> _receipts = [];
    private readonly Dictionary<(DateOnly Date, short Store, int Customer), int> _customers = [];
    private readonly MixAccumulator _mix = new();

    private long _currentReceipt = -1;
    private DateOnly _receiptDate;
    private short _receiptStore;
    private int _receiptCustomer;
    private int _receiptMask;
    private bool _receiptRefundOnly;

    private struct HourTotals
    {
        public int Lines, Units, ReturnUnits;
        public long Revenue, Gross, Returns, Discount;
    }

    public void Add(in SaleRow r)
    {
        // One hash lookup per rollup per row: update in place.
        ref var h = ref CollectionsMarshal.GetValueRefOrAddDefault(_hourly, (r.SaleDate, r.StoreKey, r.CategoryKey, r.LocalHour), out _);
        h.Lines++;
        h.Units += r.Quantity;
        h.Revenue += r.LineTotalPence;
        h.Discount += r.DiscountPence;
        if (r.Quantity < 0)
        {
            h.Returns -= r.LineTotalPence;
            h.ReturnUnits -= r.Quantity;
        }
        else
        {
            h.Gross += r.LineTotalPence;
        }

        ref var p = ref CollectionsMarshal.GetValueRefOrAddDefault(_products, (r.SaleDate, r.StoreKey, r.ProductKey), out _);
        p = (r.CategoryKey, p.Units + r.Quantity, p.Revenue + r.LineTotalPence);
        _mix.Add(r);

        if (r.TransactionId != _currentReceipt)
        {
            CloseReceipt();
            _currentReceipt = r.TransactionId;
            _receiptDate = r.SaleDate;
            _receiptStore = r.StoreKey;
            _receiptCustomer = r.CustomerKey;
            _receiptMask = 0;
            _receiptRefundOnly = true;
        }
        _receiptMask |= CategoryMask.Bit(r.CategoryKey);
        _receiptRefundOnly &= r.Quantity < 0;
    }

    private void CloseReceipt()
    {
        if (_currentReceipt < 0)
        {
            return;
        }
        ref var receipts = ref CollectionsMarshal.GetValueRefOrAddDefault(_receipts, (_receiptDate, _receiptStore, _receiptMask), out _);
        receipts = (receipts.Receipts + 1, receipts.RefundOnly + (_receiptRefundOnly ? 1 : 0));
        if (_receiptCustomer != 0)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(_customers, (_receiptDate, _receiptStore, _receiptCustomer), out _) |= _receiptMask;
        }
        _currentReceipt = -1;
    }

    /// <summary>Replaces product keys that lost an upsert race, before anything is written.</summary>
    public void Remap(IReadOnlyDictionary<int, int> products, IReadOnlyDictionary<int, int> customers)
    {
        if (products.Count > 0)
        {
            foreach (var (k, v) in _products.ToList().Where(kv => products.ContainsKey(kv.Key.Product)))
            {
                _products.Remove(k);
                var nk = (k.Date, k.Store, products[k.Product]);
                var e = _products.GetValueOrDefault(nk);
                _products[nk] = (v.Category, e.Units + v.Units, e.Revenue + v.Revenue);
            }
        }
        CloseReceipt();
        if (customers.Count > 0)
        {
            foreach (var (k, v) in _customers.ToList().Where(kv => customers.ContainsKey(kv.Key.Customer)))
            {
                _customers.Remove(k);
                var nk = (k.Date, k.Store, customers[k.Customer]);
                _customers[nk] = _customers.GetValueOrDefault(nk) | v;
            }
        }
    }

    /// <summary>
    /// Writes the three rollups by binary COPY on the batch's connection (inside its transaction), then the customer sketches;
    /// each with its all-store rows (<see cref="StoreRows.All"/>). Then the channel and payment mix (<see cref="MixAccumulator"/>).
    /// </summary>
    public void Write(NpgsqlConnection conn, int batchId)
    {
        CloseReceipt();
        using (var w = new BinaryCopyWriter(conn,
            "COPY marts.agg_sales_hourly (batch_id, sale_date, store_key, category_key, hour_of_day, lines, units, revenue_pence, "
            + "gross_pence, returns_pence, discount_pence, return_units) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (k, v) in WithSums(_hourly, k => k with { Store = StoreRows.All }, Sum))
            {
                w.StartRow(12, 128);
                w.Int32(batchId);
                w.Date(k.Date);
                w.Int16(k.Store);
                w.Int16(k.Category);
                w.Int16(k.Hour);
                w.Int32(v.Lines);
                w.Int32(v.Units);
                w.Int64(v.Revenue);
                w.Int64(v.Gross);
                w.Int64(v.Returns);
                w.Int64(v.Discount);
                w.Int32(v.ReturnUnits);
            }
            w.Complete();
        }
        using (var w = new BinaryCopyWriter(conn, "COPY marts.agg_product_daily (batch_id, sale_date, store_key, product_key, "
            + "category_key, units, revenue_pence) FROM STDIN (FORMAT BINARY)"))
        {
            var all = WithSums(_products, k => k with { Store = StoreRows.All },
                (a, b) => (b.Category, a.Units + b.Units, a.Revenue + b.Revenue));
            foreach (var (k, v) in all)
            {
                w.StartRow(7, 72);
                w.Int32(batchId);
                w.Date(k.Date);
                w.Int16(k.Store);
                w.Int32(k.Product);
                w.Int16(v.Category);
                w.Int32(v.Units);
                w.Int64(v.Revenue);
            }
            w.Complete();
        }
        using (var w = new BinaryCopyWriter(conn, "COPY marts.agg_receipts_daily (batch_id, sale_date, store_key, category_mask, receipts, "
            + "refund_receipts) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (k, v) in WithSums(_receipts, k => k with { Store = StoreRows.All },
                (a, b) => (a.Receipts + b.Receipts, a.RefundOnly + b.RefundOnly)))
            {
                w.StartRow(6, 56);
                w.Int32(batchId);
                w.Date(k.Date);
                w.Int16(k.Store);
                w.Int32(k.Mask);
                w.Int32(v.Receipts);
                w.Int32(v.RefundOnly);
            }
            w.Complete();
        }
        _mix.Write(conn, batchId);
        if (_customers.Count > 0)
        {
            WriteSketches(conn, batchId);
        }
    }

    /// <summary>
    /// A rollup's rows, then their sums under a coarser key: the all-store rows (the same keys with the store set to 0),
    /// or the mix receipts' total rows (the mask set to <see cref="CategoryMask.Every"/>).
    /// </summary>
    internal static IEnumerable<KeyValuePair<TKey, TValue>> WithSums<TKey, TValue>(
        Dictionary<TKey, TValue> rows, Func<TKey, TKey> coarser, Func<TValue, TValue, TValue> add)
        where TKey : notnull
        where TValue : struct
    {
        var all = new Dictionary<TKey, TValue>(rows.Count / 8);
        foreach (var (k, v) in rows)
        {
            ref var total = ref CollectionsMarshal.GetValueRefOrAddDefault(all, coarser(k), out var exists);
            total = exists ? add(total, v) : v;
        }
        return rows.Concat(all);
    }

    private static HourTotals Sum(HourTotals a, HourTotals b) => new()
    {
        Lines = a.Lines + b.Lines, Units = a.Units + b.Units, ReturnUnits = a.ReturnUnits + b.ReturnUnits,
        Revenue = a.Revenue + b.Revenue, Gross = a.Gross + b.Gross, Returns = a.Returns + b.Returns, Discount = a.Discount + b.Discount,
    };

    /// <summary>
    /// The batch's loyalty customers per day, store and category, and per day and category over all stores, as
    /// HyperLogLog sketches built here (<see cref="HllSketch"/>). A customer counts in every category their receipt
    /// touched.
    /// </summary>
    private void WriteSketches(NpgsqlConnection conn, int batchId)
    {
        var sketches = new Dictionary<(DateOnly Date, short Store, short Category), HllSketch.Builder>();
        foreach (var (k, mask) in _customers)
        {
            var hash = HllSketch.HashInteger(k.Customer);
            foreach (var category in CategoryMask.Keys(mask))
            {
                Sketch(sketches, (k.Date, k.Store, category)).Add(hash);
                Sketch(sketches, (k.Date, StoreRows.All, category)).Add(hash);
            }
        }
        using var w = new BinaryCopyWriter(conn,
            "COPY marts.agg_customers_hll_daily (batch_id, sale_date, store_key, category_key, customers) FROM STDIN (FORMAT BINARY)");
        foreach (var (k, builder) in sketches)
        {
            var sketch = builder.ToBytes();
            w.StartRow(5, 40 + sketch.Length);
            w.Int32(batchId);
            w.Date(k.Date);
            w.Int16(k.Store);
            w.Int16(k.Category);
            w.Bytes(sketch);
        }
        w.Complete();
    }

    private static HllSketch.Builder Sketch<TKey>(Dictionary<TKey, HllSketch.Builder> sketches, TKey key)
        where TKey : notnull
    {
        ref var sketch = ref CollectionsMarshal.GetValueRefOrAddDefault(sketches, key, out _);
        return sketch ??= new HllSketch.Builder();
    }
}
