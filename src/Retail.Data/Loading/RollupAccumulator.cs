using System.Runtime.InteropServices;
using Npgsql;

namespace Retail.Data.Loading;

/// <summary>
/// Builds the dashboard rollups while the file streams past, so the database never re-reads the facts for them.
/// Receipts are assumed to be on consecutive lines (as tills export them); a receipt split across distant lines
/// counts once per fragment.
/// </summary>
internal sealed class RollupAccumulator
{
    private readonly Dictionary<(DateOnly Date, short Store, short Category, byte Hour), (int Lines, int Units, long Revenue)> _hourly = [];
    private readonly Dictionary<(DateOnly Date, short Store, int Product), (short Category, int Units, long Revenue)> _products = [];
    private readonly Dictionary<(DateOnly Date, short Store, int Mask), int> _receipts = [];
    private readonly Dictionary<(DateOnly Date, short Store, int Customer), int> _customers = [];

    private long _currentReceipt = -1;
    private DateOnly _receiptDate;
    private short _receiptStore;
    private int _receiptCustomer;
    private int _receiptMask;

    public void Add(in SaleRow r)
    {
        // One hash lookup per rollup per row: update in place.
        ref var h = ref CollectionsMarshal.GetValueRefOrAddDefault(_hourly, (r.SaleDate, r.StoreKey, r.CategoryKey, r.LocalHour), out _);
        h = (h.Lines + 1, h.Units + r.Quantity, h.Revenue + r.LineTotalPence);

        ref var p = ref CollectionsMarshal.GetValueRefOrAddDefault(_products, (r.SaleDate, r.StoreKey, r.ProductKey), out _);
        p = (r.CategoryKey, p.Units + r.Quantity, p.Revenue + r.LineTotalPence);

        if (r.TransactionId != _currentReceipt)
        {
            CloseReceipt();
            _currentReceipt = r.TransactionId;
            _receiptDate = r.SaleDate;
            _receiptStore = r.StoreKey;
            _receiptCustomer = r.CustomerKey;
            _receiptMask = 0;
        }
        _receiptMask |= 1 << (r.CategoryKey & 31);
    }

    private void CloseReceipt()
    {
        if (_currentReceipt < 0)
        {
            return;
        }
        CollectionsMarshal.GetValueRefOrAddDefault(_receipts, (_receiptDate, _receiptStore, _receiptMask), out _)++;
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

    /// <summary>Writes the four rollups by binary COPY on the batch's connection (inside its transaction).</summary>
    public void Write(NpgsqlConnection conn, int batchId)
    {
        CloseReceipt();
        using (var w = new BinaryCopyWriter(conn, "COPY marts.agg_sales_hourly (batch_id, sale_date, store_key, category_key, hour_of_day, lines, units, revenue_pence) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (k, v) in _hourly)
            {
                w.StartRow(8, 80);
                w.Int32(batchId);
                w.Date(k.Date);
                w.Int16(k.Store);
                w.Int16(k.Category);
                w.Int16(k.Hour);
                w.Int32(v.Lines);
                w.Int32(v.Units);
                w.Int64(v.Revenue);
            }
            w.Complete();
        }
        using (var w = new BinaryCopyWriter(conn, "COPY marts.agg_product_daily (batch_id, sale_date, store_key, product_key, category_key, units, revenue_pence) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (k, v) in _products)
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
        using (var w = new BinaryCopyWriter(conn, "COPY marts.agg_receipts_daily (batch_id, sale_date, store_key, category_mask, receipts) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (k, v) in _receipts)
            {
                w.StartRow(5, 48);
                w.Int32(batchId);
                w.Date(k.Date);
                w.Int16(k.Store);
                w.Int32(k.Mask);
                w.Int32(v);
            }
            w.Complete();
        }
        using (var w = new BinaryCopyWriter(conn, "COPY marts.agg_customers_daily (batch_id, sale_date, store_key, customer_key, category_mask) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (k, v) in _customers)
            {
                w.StartRow(5, 48);
                w.Int32(batchId);
                w.Date(k.Date);
                w.Int16(k.Store);
                w.Int32(k.Customer);
                w.Int32(v);
            }
            w.Complete();
        }
    }
}
