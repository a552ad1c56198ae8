using System.Collections.Concurrent;
using Npgsql;

namespace Retail.Data.Loading;

/// <summary>
/// Dimensions before facts: one quick parallel pass over the files still to load collects the SKUs and customers the
/// warehouse does not know, and each dimension gets them in one sorted upsert. The fact loads then find every key in
/// memory, so parallel files no longer race to create the same members (the per-file path remains as a fallback).
/// A member seen only on a row that is later rejected for another reason still enters its dimension; dimensions may
/// hold members without facts. New members are written in chunks as the pass finds them, so its memory stays flat
/// however many customers the files bring (a first load of 100M lines meets ~2.2M).
/// </summary>
internal static class DimensionPreload
{
    /// <summary>Pending new members beyond this are written before the next file is scanned.</summary>
    private const int FlushAt = 50_000;

    /// <summary>Returns the first day of every month the files' rows fall in, so their partitions exist before any fact is written.</summary>
    public static async Task<IReadOnlyCollection<DateOnly>> RunAsync(NpgsqlDataSource db, DimensionCache dims, IReadOnlyList<string> files, int parallelism, CancellationToken ct,
        int flushAt = FlushAt)
    {
        var products = new ConcurrentDictionary<string, (string Name, short Category, string Subcategory, string Brand)>(StringComparer.Ordinal);
        var customers = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var months = new ConcurrentDictionary<DateOnly, bool>();
        using var flushing = new SemaphoreSlim(1, 1);
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = ct },
            async (file, token) =>
            {
                try
                {
                    Scan(file, dims, products, customers, months, token);
                }
                catch (Exception e) when (SalesFileLoader.FileProblem(file, e) is not null)
                {
                    // A bad file gets its verdict from its own load; it must not stop the others here.
                }
                if (products.Count + customers.Count >= flushAt)
                {
                    await FlushAsync(db, dims, products, customers, flushing, token);
                }
            });
        await FlushAsync(db, dims, products, customers, flushing, ct);
        return months.Keys.ToArray();
    }

    /// <summary>
    /// Writes the pending members and makes them known to the cache. A member a parallel scan adds again meanwhile
    /// is upserted once more: the conflict keeps the first key, and the cache learns that one.
    /// </summary>
    private static async Task FlushAsync(NpgsqlDataSource db, DimensionCache dims, ConcurrentDictionary<string, (string Name, short Category, string Subcategory, string Brand)> products,
        ConcurrentDictionary<string, string> customers, SemaphoreSlim flushing, CancellationToken ct)
    {
        await flushing.WaitAsync(ct);
        try
        {
            var productBatch = Take(products);
            var customerBatch = Take(customers);
            // Same upsert as the per-file path, with keys reserved in one round trip per dimension.
            var productKeys = await KeyReserver.ReserveAsync(db, "marts.dim_product_key_seq", productBatch.Count, ct);
            var newProducts = productBatch.Select((p, i) => new NewProduct(productKeys[i], p.Key, p.Value.Name, p.Value.Category, p.Value.Subcategory, p.Value.Brand)).ToList();
            var customerKeys = await KeyReserver.ReserveAsync(db, "marts.dim_customer_key_seq", customerBatch.Count, ct);
            var newCustomers = customerBatch.Select((c, i) => new NewCustomer(customerKeys[i], c.Key, c.Value)).ToList();
            var productWinners = await DimensionWriter.UpsertProductsAsync(db, newProducts, ct);
            var customerWinners = await DimensionWriter.UpsertCustomersAsync(db, newCustomers, ct);
            dims.Remember(
                newProducts.Select(p => productWinners.TryGetValue(p.Key, out var k) ? p with { Key = k } : p),
                newCustomers.Select(c => customerWinners.TryGetValue(c.Key, out var k) ? c with { Key = k } : c));
        }
        finally
        {
            flushing.Release();
        }
    }

    /// <summary>Removes and returns what is pending now; entries added meanwhile wait for the next flush.</summary>
    private static List<KeyValuePair<string, T>> Take<T>(ConcurrentDictionary<string, T> pending)
    {
        var taken = new List<KeyValuePair<string, T>>();
        foreach (var key in pending.Keys)
        {
            if (pending.TryRemove(key, out var value))
            {
                taken.Add(new(key, value));
            }
        }
        return taken;
    }

    /// <summary>Only cheap checks: rows the loader will certainly reject (wrong shape, bad encoding, unknown store or category) add nothing.</summary>
    private static void Scan(string file, DimensionCache dims, ConcurrentDictionary<string, (string, short, string, string)> products, ConcurrentDictionary<string, string> customers,
        ConcurrentDictionary<DateOnly, bool> months, CancellationToken ct)
    {
        using var text = StagingFile.OpenText(file);
        using var reader = StagingCsv.Open(file, text);
        var lastMonth = default(DateOnly);
        foreach (var r in reader)
        {
            if (r.ColCount != Col.Count || StagingFile.HasBadText(r.Span))
            {
                continue;
            }
            // Every month a row could land in, as the loader's own parser sees it.
            if (FieldParser.Timestamp(r[Col.SoldAt].Span, out var date, out _, out _) && Calendar.Contains(date))
            {
                var month = new DateOnly(date.Year, date.Month, 1);
                if (month != lastMonth)
                {
                    months.TryAdd(month, true);
                    lastMonth = month;
                }
            }
            if (!dims.Store(r[Col.StoreCode].Span, out _) || !dims.Category(r[Col.Category].Span, out var category))
            {
                continue;
            }
            var sku = r[Col.Sku].Span;
            if (!sku.IsEmpty && r[Col.ProductName].Span.Length > 0 && !dims.Product(sku, out _))
            {
                products.TryAdd(sku.ToString(), (r[Col.ProductName].ToString(), category, r[Col.Subcategory].ToString(), r[Col.Brand].ToString()));
            }
            var customer = r[Col.CustomerId].Span;
            if (!customer.IsEmpty && !dims.Customer(customer, out _))
            {
                customers.TryAdd(customer.ToString(), r[Col.CustomerName].ToString());
            }
            if ((r.RowIndex & 0x3FFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }
        }
    }
}
