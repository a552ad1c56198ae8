using System.Collections.Concurrent;
using nietras.SeparatedValues;
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
    /// <summary>Pending new members beyond this are written before the scan goes on.</summary>
    private const int FlushAt = 50_000;

    /// <summary>Rows a scan reads between two looks at the pending members (and at cancellation).</summary>
    private const int ChunkRows = 16_384;

    /// <summary>
    /// Returns what the pass saw of each file it could read to the end (its SHA-256 and sale dates); the first day of
    /// every month in <see cref="Preloaded.Months"/>, so partitions can exist before any fact is written.
    /// </summary>
    public static async Task<Preloaded> RunAsync(NpgsqlDataSource db, DimensionCache dims, IReadOnlyList<string> files, int parallelism,
        CancellationToken ct, int flushAt = FlushAt, int chunkRows = ChunkRows)
    {
        var scanned = new ConcurrentDictionary<string, ScannedFile>(StringComparer.Ordinal);
        var pending = new Pending();
        using var flushing = new SemaphoreSlim(1, 1);
        var flushes = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, parallelism), CancellationToken = ct };
        await Parallel.ForEachAsync(files, parallel, async (file, token) =>
        {
            // A failed write of members is the database's failure, not the file's: it stops the pass, as it did when
            // writes came only between files.
            var writing = false;
            try
            {
                using var text = StagingFile.OpenText(file, out var hashed);
                using var reader = StagingCsv.Open(file, text);
                var scan = new FileScan(dims, pending);
                // Flushing inside a file, not only after it, keeps the pending members (and the flush's copies of them)
                // small: at 100M lines a January day brings ~80k new customers per file, two files at once, and the
                // pass's peak RSS was the loader's (243 MiB on the whole year, workstation GC).
                while (scan.Read(reader, chunkRows, token))
                {
                    if (pending.Count >= flushAt)
                    {
                        writing = true;
                        await FlushAsync(db, dims, pending, flushing, token);
                        writing = false;
                        Interlocked.Increment(ref flushes);
                    }
                }
                scanned[file] = new ScannedFile(hashed.Finish(), scan.Dates, scan.Rows);
            }
            catch (Exception e) when (!writing && SalesFileLoader.FileProblem(file, e) is not null)
            {
                // A bad file gets its verdict from its own load; it must not stop the others here.
            }
        });
        await FlushAsync(db, dims, pending, flushing, ct);
        return new Preloaded(scanned) { Flushes = flushes + 1 };
    }

    /// <summary>
    /// Writes the pending members and makes them known to the cache. A member a parallel scan adds again meanwhile
    /// is upserted once more: the conflict keeps the first key, and the cache learns that one.
    /// </summary>
    private static async Task FlushAsync(NpgsqlDataSource db, DimensionCache dims, Pending pending, SemaphoreSlim flushing,
        CancellationToken ct)
    {
        await flushing.WaitAsync(ct);
        try
        {
            var productBatch = Take(pending.Products);
            var customerBatch = Take(pending.Customers);
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

    /// <summary>New members found by the scans and not yet written, shared by the scans running side by side.</summary>
    private sealed class Pending
    {
        public readonly ConcurrentDictionary<string, NewProductAttributes> Products = new(StringComparer.Ordinal);
        public readonly ConcurrentDictionary<string, string> Customers = new(StringComparer.Ordinal);

        public int Count => Products.Count + Customers.Count;
    }

    /// <summary>
    /// One file's scan, a chunk of rows at a time. Only cheap checks: rows the loader will certainly reject (wrong
    /// shape, bad encoding, unknown store or category) add nothing.
    /// </summary>
    private sealed class FileScan(DimensionCache dims, Pending pending)
    {
        private readonly HashSet<DateOnly> _dates = [];
        private DateOnly _lastDate;

        public IReadOnlyCollection<DateOnly> Dates => _dates;
        public long Rows { get; private set; }

        /// <summary>Reads up to <paramref name="chunk"/> rows; false once the file is read to the end.</summary>
        public bool Read(SepReader reader, int chunk, CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            // A member already pending is seen again on most of its rows until the next flush: look it up by span, so
            // only its first sighting allocates (perf at 10M lines: the runtime, mostly its collector, fell from 28%
            // to 11% of the pass's CPU).
            var pendingProducts = pending.Products.GetAlternateLookup<ReadOnlySpan<char>>();
            var pendingCustomers = pending.Customers.GetAlternateLookup<ReadOnlySpan<char>>();
            for (var n = 0; n < chunk; n++)
            {
                if (!reader.MoveNext())
                {
                    return false;
                }
                var r = reader.Current;
                Rows++;
                if (r.ColCount != Col.Count || StagingFile.HasBadText(r.Span))
                {
                    continue;
                }
                // Every day (so month) a row could land in, as the loader's own parser sees it.
                if (FieldParser.Timestamp(r[Col.SoldAt].Span, out var date, out _, out _) && Calendar.Contains(date) && date != _lastDate)
                {
                    _dates.Add(date);
                    _lastDate = date;
                }
                if (!dims.Store(r[Col.StoreCode].Span, out _) || !dims.Category(r[Col.Category].Span, out var category))
                {
                    continue;
                }
                var sku = r[Col.Sku].Span;
                if (!sku.IsEmpty && r[Col.ProductName].Span.Length > 0 && !dims.Product(sku, out _) && !pendingProducts.ContainsKey(sku))
                {
                    var name = r[Col.ProductName].ToString();
                    pending.Products.TryAdd(sku.ToString(), new(name, category, r[Col.Subcategory].ToString(), r[Col.Brand].ToString()));
                }
                var customer = r[Col.CustomerId].Span;
                if (!customer.IsEmpty && !dims.Customer(customer, out _) && !pendingCustomers.ContainsKey(customer))
                {
                    pending.Customers.TryAdd(customer.ToString(), r[Col.CustomerName].ToString());
                }
            }
            return true;
        }
    }
}

/// <summary>A product first seen by the dimension pass, before it has a key.</summary>
internal readonly record struct NewProductAttributes(string Name, short Category, string Subcategory, string Brand);

/// <summary>One file as the dimension pass read it: its SHA-256, the sale dates of its rows and how many rows it has.</summary>
internal sealed record ScannedFile(string Sha256, IReadOnlyCollection<DateOnly> Dates, long Rows);

/// <summary>What the dimension pass saw, by path; a file it could not read to the end is absent.</summary>
internal sealed class Preloaded(IReadOnlyDictionary<string, ScannedFile> files)
{
    /// <summary>How many times the pass wrote its pending members (the last write included).</summary>
    public int Flushes { get; init; }

    public ScannedFile? this[string path] => files.GetValueOrDefault(path);

    public IReadOnlyCollection<DateOnly> Months =>
        files.Values.SelectMany(f => f.Dates).Select(d => new DateOnly(d.Year, d.Month, 1)).ToHashSet();
}
