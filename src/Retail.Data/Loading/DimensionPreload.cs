using System.Collections.Concurrent;
using Npgsql;

namespace Retail.Data.Loading;

/// <summary>
/// Dimensions before facts: one quick parallel pass over the files still to load collects the SKUs and customers the
/// warehouse does not know, and each dimension gets them in one sorted upsert. The fact loads then find every key in
/// memory, so parallel files no longer race to create the same members (the per-file path remains as a fallback).
/// A member seen only on a row that is later rejected for another reason still enters its dimension; dimensions may
/// hold members without facts. New members are written in chunks as the pass finds them, so its memory stays flat
/// however many customers the files bring (a first load of 100M lines meets ~2.2M). The same read hashes each file
/// (its identity in the ledger) and notes its sale dates, so the fact load is the only other read of it.
/// </summary>
internal static class DimensionPreload
{
    /// <summary>Pending new members beyond this are written before the next file is scanned.</summary>
    private const int FlushAt = 50_000;

    /// <summary>
    /// Returns what the pass saw of each file it could read to the end (its SHA-256 and sale dates); the first day of
    /// every month in <see cref="Preloaded.Months"/>, so partitions can exist before any fact is written.
    /// </summary>
    public static async Task<Preloaded> RunAsync(NpgsqlDataSource db, DimensionCache dims, IReadOnlyList<string> files, int parallelism,
        CancellationToken ct, int flushAt = FlushAt)
    {
        var scanned = new ConcurrentDictionary<string, ScannedFile>(StringComparer.Ordinal);
        var products = new ConcurrentDictionary<string, NewProductAttributes>(StringComparer.Ordinal);
        var customers = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        using var flushing = new SemaphoreSlim(1, 1);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = ct };
        await Parallel.ForEachAsync(files, parallel, async (file, token) =>
        {
            try
            {
                scanned[file] = Scan(file, dims, products, customers, token);
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
        return new Preloaded(scanned);
    }

    /// <summary>
    /// Writes the pending members and makes them known to the cache. A member a parallel scan adds again meanwhile
    /// is upserted once more: the conflict keeps the first key, and the cache learns that one.
    /// </summary>
    private static async Task FlushAsync(NpgsqlDataSource db, DimensionCache dims, ConcurrentDictionary<string,
        NewProductAttributes> products,
        ConcurrentDictionary<string, string> customers, SemaphoreSlim flushing, CancellationToken ct)
    {
        await flushing.WaitAsync(ct);
        try
        {
            var productBatch = Take(products);
            var customerBatch = Take(customers);
            // Same upsert as the per-file path, with keys reserved in one round trip per dimension.
            var productKeys = await KeyReserver.ReserveAsync(db, "marts.dim_product_key_seq", productBatch.Count, ct);
            var newProducts = productBatch
                .Select((p, i) => new NewProduct(productKeys[i], p.Key, p.Value.Name, p.Value.Category, p.Value.Subcategory, p.Value.Brand))
                .ToList();
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

    /// <summary>
    /// Only cheap checks: rows the loader will certainly reject (wrong shape, bad encoding, unknown store or category)
    /// add nothing.
    /// </summary>
    private static ScannedFile Scan(string file, DimensionCache dims, ConcurrentDictionary<string, NewProductAttributes> products,
        ConcurrentDictionary<string, string> customers, CancellationToken ct)
    {
        using var text = StagingFile.OpenText(file, out var hashed);
        using var reader = StagingCsv.Open(file, text);
        var dates = new HashSet<DateOnly>();
        var lastDate = default(DateOnly);
        long rows = 0;
        // A member already pending is seen again on most of its rows until the next flush: look it up by span, so
        // only its first sighting allocates (perf at 10M lines: the runtime, mostly its collector, fell from 28% to
        // 11% of the pass's CPU).
        var pendingProducts = products.GetAlternateLookup<ReadOnlySpan<char>>();
        var pendingCustomers = customers.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var r in reader)
        {
            rows++;
            if (r.ColCount != Col.Count || StagingFile.HasBadText(r.Span))
            {
                continue;
            }
            // Every day (so month) a row could land in, as the loader's own parser sees it.
            if (FieldParser.Timestamp(r[Col.SoldAt].Span, out var date, out _, out _) && Calendar.Contains(date) && date != lastDate)
            {
                dates.Add(date);
                lastDate = date;
            }
            if (!dims.Store(r[Col.StoreCode].Span, out _) || !dims.Category(r[Col.Category].Span, out var category))
            {
                continue;
            }
            var sku = r[Col.Sku].Span;
            if (!sku.IsEmpty && r[Col.ProductName].Span.Length > 0 && !dims.Product(sku, out _) && !pendingProducts.ContainsKey(sku))
            {
                var name = r[Col.ProductName].ToString();
                products.TryAdd(sku.ToString(), new(name, category, r[Col.Subcategory].ToString(), r[Col.Brand].ToString()));
            }
            var customer = r[Col.CustomerId].Span;
            if (!customer.IsEmpty && !dims.Customer(customer, out _) && !pendingCustomers.ContainsKey(customer))
            {
                customers.TryAdd(customer.ToString(), r[Col.CustomerName].ToString());
            }
            if ((r.RowIndex & 0x3FFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }
        }
        return new ScannedFile(hashed.Finish(), dates, rows);
    }
}

/// <summary>A product first seen by the dimension pass, before it has a key.</summary>
internal readonly record struct NewProductAttributes(string Name, short Category, string Subcategory, string Brand);

/// <summary>One file as the dimension pass read it: its SHA-256, the sale dates of its rows and how many rows it has.</summary>
internal sealed record ScannedFile(string Sha256, IReadOnlyCollection<DateOnly> Dates, long Rows);

/// <summary>What the dimension pass saw, by path; a file it could not read to the end is absent.</summary>
internal sealed class Preloaded(IReadOnlyDictionary<string, ScannedFile> files)
{
    public ScannedFile? this[string path] => files.GetValueOrDefault(path);

    public IReadOnlyCollection<DateOnly> Months =>
        files.Values.SelectMany(f => f.Dates).Select(d => new DateOnly(d.Year, d.Month, 1)).ToHashSet();
}
