using Npgsql;
using NpgsqlTypes;

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
        var hk = (r.SaleDate, r.StoreKey, r.CategoryKey, r.LocalHour);
        var h = _hourly.GetValueOrDefault(hk);
        _hourly[hk] = (h.Lines + 1, h.Units + r.Quantity, h.Revenue + r.LineTotalPence);

        var pk = (r.SaleDate, r.StoreKey, r.ProductKey);
        var p = _products.GetValueOrDefault(pk);
        _products[pk] = (r.CategoryKey, p.Units + r.Quantity, p.Revenue + r.LineTotalPence);

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
        var rk = (_receiptDate, _receiptStore, _receiptMask);
        _receipts[rk] = _receipts.GetValueOrDefault(rk) + 1;
        if (_receiptCustomer != 0)
        {
            var ck = (_receiptDate, _receiptStore, _receiptCustomer);
            _customers[ck] = _customers.GetValueOrDefault(ck) | _receiptMask;
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

    public async Task WriteAsync(NpgsqlConnection conn, int batchId, CancellationToken ct)
    {
        CloseReceipt();
        await using (var w = await conn.BeginBinaryImportAsync("COPY marts.agg_sales_hourly (batch_id, sale_date, store_key, category_key, hour_of_day, lines, units, revenue_pence) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (k, v) in _hourly)
            {
                w.StartRow();
                w.Write(batchId, NpgsqlDbType.Integer);
                w.Write(k.Date, NpgsqlDbType.Date);
                w.Write(k.Store, NpgsqlDbType.Smallint);
                w.Write(k.Category, NpgsqlDbType.Smallint);
                w.Write((short)k.Hour, NpgsqlDbType.Smallint);
                w.Write(v.Lines, NpgsqlDbType.Integer);
                w.Write(v.Units, NpgsqlDbType.Integer);
                w.Write(v.Revenue, NpgsqlDbType.Bigint);
            }
            await w.CompleteAsync(ct);
        }
        await using (var w = await conn.BeginBinaryImportAsync("COPY marts.agg_product_daily (batch_id, sale_date, store_key, product_key, category_key, units, revenue_pence) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (k, v) in _products)
            {
                w.StartRow();
                w.Write(batchId, NpgsqlDbType.Integer);
                w.Write(k.Date, NpgsqlDbType.Date);
                w.Write(k.Store, NpgsqlDbType.Smallint);
                w.Write(k.Product, NpgsqlDbType.Integer);
                w.Write(v.Category, NpgsqlDbType.Smallint);
                w.Write(v.Units, NpgsqlDbType.Integer);
                w.Write(v.Revenue, NpgsqlDbType.Bigint);
            }
            await w.CompleteAsync(ct);
        }
        await using (var w = await conn.BeginBinaryImportAsync("COPY marts.agg_receipts_daily (batch_id, sale_date, store_key, category_mask, receipts) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (k, v) in _receipts)
            {
                w.StartRow();
                w.Write(batchId, NpgsqlDbType.Integer);
                w.Write(k.Date, NpgsqlDbType.Date);
                w.Write(k.Store, NpgsqlDbType.Smallint);
                w.Write(k.Mask, NpgsqlDbType.Integer);
                w.Write(v, NpgsqlDbType.Integer);
            }
            await w.CompleteAsync(ct);
        }
        await using (var w = await conn.BeginBinaryImportAsync("COPY marts.agg_customers_daily (batch_id, sale_date, store_key, customer_key, category_mask) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (k, v) in _customers)
            {
                w.StartRow();
                w.Write(batchId, NpgsqlDbType.Integer);
                w.Write(k.Date, NpgsqlDbType.Date);
                w.Write(k.Store, NpgsqlDbType.Smallint);
                w.Write(k.Customer, NpgsqlDbType.Integer);
                w.Write(v, NpgsqlDbType.Integer);
            }
            await w.CompleteAsync(ct);
        }
    }
}
