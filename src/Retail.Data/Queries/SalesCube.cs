using System.Numerics;
using System.Runtime.InteropServices;
using Npgsql;

namespace Retail.Data.Queries;

/// <summary>
/// The dashboard's fast path: the rollup rows of every published batch, held in memory as columnar arrays bucketed
/// by day, so a filter change sums a contiguous slice instead of asking PostgreSQL to aggregate hundreds of thousands
/// of rows per widget. The rollups are aggregated by the loader and the SQL service gives the same answers (tests
/// prove it); this only re-sums them. The snapshot is replaced when the set of published batches changes: new
/// batches are merged in, anything else (a forced reload, an unpublished day) reloads it whole.
/// </summary>
public sealed class SalesCube(NpgsqlDataSource db, Telemetry.RetailMetrics? metrics = null)
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private Snapshot? _snapshot;
    private (long Count, long Max, long Sum) _signature = (-1, -1, -1);
    private long _refreshesStarted;

    /// <summary>Brings the snapshot up to date with the published batches; cheap when nothing changed.</summary>
    public async Task EnsureCurrentAsync(CancellationToken ct)
    {
        var arrived = Interlocked.Read(ref _refreshesStarted);
        var signature = await SignatureAsync(ct);
        if (signature == _signature && _snapshot is not null)
        {
            return;
        }
        await _refresh.WaitAsync(ct);
        try
        {
            // A refresh that started after this caller arrived saw everything published before it: share it.
            // Without this, callers queued behind a rebuild each rebuilt again while a load kept publishing.
            if (Interlocked.Read(ref _refreshesStarted) != arrived && _snapshot is not null)
            {
                return;
            }
            Interlocked.Increment(ref _refreshesStarted);
            signature = await SignatureAsync(ct);
            if (signature == _signature && _snapshot is not null)
            {
                return;
            }
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var published = await PublishedBatchesAsync(ct);
            var old = _snapshot;
            var added = old is null ? published : published.Except(old.Batches).ToHashSet();
            var kept = old is not null && old.Batches.IsSubsetOf(published);
            var rows = await RowSet.ReadAsync(db, added.ToArray(), ct);
            var all = kept ? old!.ToRowSet().Concat(rows) : await RowSet.ReadAsync(db, published.ToArray(), ct);
            _snapshot = Snapshot.Build(all, published, await ProductsAsync(ct), await NamesAsync(ct));
            _signature = signature;
            metrics?.RecordCubeRefresh(full: !kept, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
        finally
        {
            _refresh.Release();
        }
    }

    public DashboardData Query(SalesFilter f, TopBy top, bool compareLastYear)
    {
        var s = _snapshot ?? throw new InvalidOperationException("call EnsureCurrentAsync first");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var data = new DashboardData(
            new KpiComparison(s.Kpis(f), s.Kpis(f.Previous), compareLastYear ? s.Kpis(f.LastYear) : null),
            s.Daily(f), s.ByStore(f), s.ByCategory(f), s.TopProducts(f, top, 10), s.Heatmap(f));
        metrics?.RecordDashboardQuery(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return data;
    }

    private async Task<(long, long, long)> SignatureAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT count(*), coalesce(max(batch_id), 0), coalesce(sum(batch_id), 0)::bigint FROM ops.load_batches WHERE status = 'loaded' AND published");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return (r.GetInt64(0), r.GetInt32(1), r.GetInt64(2));
    }

    private async Task<HashSet<int>> PublishedBatchesAsync(CancellationToken ct)
    {
        var set = new HashSet<int>();
        await using var cmd = db.CreateCommand("SELECT batch_id FROM ops.load_batches WHERE status = 'loaded' AND published");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            set.Add(r.GetInt32(0));
        }
        return set;
    }

    private async Task<Dictionary<int, (string Sku, string Name, string Category)>> ProductsAsync(CancellationToken ct)
    {
        var map = new Dictionary<int, (string, string, string)>();
        await using var cmd = db.CreateCommand("SELECT p.product_key, p.sku, p.product_name, c.category_name FROM marts.dim_product p JOIN marts.dim_category c USING (category_key)");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            map[r.GetInt32(0)] = (r.GetString(1), r.GetString(2), r.GetString(3));
        }
        return map;
    }

    private async Task<(Dictionary<short, string> Stores, Dictionary<short, string> Categories)> NamesAsync(CancellationToken ct)
    {
        var stores = new Dictionary<short, string>();
        var categories = new Dictionary<short, string>();
        await using var cmd = db.CreateCommand("SELECT 's', store_key, store_name FROM marts.dim_store UNION ALL SELECT 'c', category_key, category_name FROM marts.dim_category");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            (r.GetString(0) == "s" ? stores : categories)[r.GetInt16(1)] = r.GetString(2);
        }
        return (stores, categories);
    }

    /// <summary>Rollup rows as read, before bucketing by day.</summary>
    private sealed class RowSet
    {
        public readonly List<(int Day, short Store, short Category, byte Hour, int Lines, int Units, long Revenue)> Hourly = [];
        public readonly List<(int Day, short Store, int Product, short Category, int Units, long Revenue)> Products = [];
        public readonly List<(int Day, short Store, int Mask, int Receipts)> Receipts = [];
        public readonly List<(int Day, short Store, int Customer, int Mask)> Customers = [];

        public RowSet Concat(RowSet other)
        {
            var r = new RowSet();
            r.Hourly.AddRange(Hourly); r.Hourly.AddRange(other.Hourly);
            r.Products.AddRange(Products); r.Products.AddRange(other.Products);
            r.Receipts.AddRange(Receipts); r.Receipts.AddRange(other.Receipts);
            r.Customers.AddRange(Customers); r.Customers.AddRange(other.Customers);
            return r;
        }

        public static async Task<RowSet> ReadAsync(NpgsqlDataSource db, int[] batches, CancellationToken ct)
        {
            var s = new RowSet();
            if (batches.Length == 0)
            {
                return s;
            }
            // The four rollups are read side by side, each on its own connection, with binary COPY.
            await Task.WhenAll(
                Read(db, "SELECT sale_date, store_key, category_key, hour_of_day, lines, units, revenue_pence FROM marts.agg_sales_hourly", batches,
                    r => s.Hourly.Add((Day(r), r.Read<short>(), r.Read<short>(), (byte)r.Read<short>(), r.Read<int>(), r.Read<int>(), r.Read<long>())), ct),
                Read(db, "SELECT sale_date, store_key, product_key, category_key, units, revenue_pence FROM marts.agg_product_daily", batches,
                    r => s.Products.Add((Day(r), r.Read<short>(), r.Read<int>(), r.Read<short>(), r.Read<int>(), r.Read<long>())), ct),
                Read(db, "SELECT sale_date, store_key, category_mask, receipts FROM marts.agg_receipts_daily", batches,
                    r => s.Receipts.Add((Day(r), r.Read<short>(), r.Read<int>(), r.Read<int>())), ct),
                Read(db, "SELECT sale_date, store_key, customer_key, category_mask FROM marts.agg_customers_daily", batches,
                    r => s.Customers.Add((Day(r), r.Read<short>(), r.Read<int>(), r.Read<int>())), ct));
            return s;
        }

        private static int Day(NpgsqlBinaryExporter r) => r.Read<DateOnly>().DayNumber;

        private static async Task Read(NpgsqlDataSource db, string select, int[] batches, Action<NpgsqlBinaryExporter> row, CancellationToken ct)
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            // Batch ids are integers we read from the database, so inlining them is safe.
            var sql = $"COPY ({select} WHERE batch_id = ANY('{{{string.Join(',', batches)}}}'::int[])) TO STDOUT (FORMAT BINARY)";
            await using var export = await conn.BeginBinaryExportAsync(sql, ct);
            // The synchronous read blocks its thread for the whole COPY: a dedicated thread, so requests keep the pool.
            await Task.Factory.StartNew(() =>
            {
                while (export.StartRow() != -1)
                {
                    row(export);
                }
            }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>An immutable, day-bucketed copy of the rollups. Every query reads a slice [start(from), start(to+1)).</summary>
    private sealed class Snapshot
    {
        public required HashSet<int> Batches { get; init; }
        public required int FirstDay { get; init; }
        public required int DayCount { get; init; }
        public required Dictionary<int, (string Sku, string Name, string Category)> ProductInfo { get; init; }
        public required Dictionary<short, string> StoreNames { get; init; }
        public required Dictionary<short, string> CategoryNames { get; init; }

        // Columns, each sorted by day, with per-day start offsets.
        private int[] _hStart = [], _pStart = [], _rStart = [], _cStart = [];
        private short[] _hStore = [], _hCat = [];
        private byte[] _hHour = [];
        private int[] _hLines = [], _hUnits = [];
        private long[] _hRevenue = [];
        private short[] _pStore = [], _pCat = [];
        private int[] _pProduct = [], _pUnits = [];
        private long[] _pRevenue = [];
        private short[] _rStore = [];
        private int[] _rMask = [], _rReceipts = [];
        private short[] _cStore = [];
        private int[] _cCustomer = [], _cMask = [];
        private int _maxCustomer;
        private int _maxProduct;

        public static Snapshot Build(RowSet rows, HashSet<int> batches, Dictionary<int, (string, string, string)> products, (Dictionary<short, string> Stores, Dictionary<short, string> Categories) names)
        {
            // Every batch has hourly rows for each day it has anything, so those bound the days.
            var first = rows.Hourly.Count == 0 ? 0 : rows.Hourly.Min(x => x.Day);
            var count = rows.Hourly.Count == 0 ? 0 : rows.Hourly.Max(x => x.Day) - first + 1;
            var s = new Snapshot { Batches = batches, FirstDay = first, DayCount = count, ProductInfo = products, StoreNames = names.Stores, CategoryNames = names.Categories };

            var h = CollectionsMarshal.AsSpan(rows.Hourly);
            var order = Bucket(h.Length, i => rows.Hourly[i].Day - first, count, out s._hStart);
            (s._hStore, s._hCat, s._hHour) = (new short[h.Length], new short[h.Length], new byte[h.Length]);
            (s._hLines, s._hUnits, s._hRevenue) = (new int[h.Length], new int[h.Length], new long[h.Length]);
            for (var j = 0; j < order.Length; j++)
            {
                ref readonly var r = ref h[order[j]];
                (s._hStore[j], s._hCat[j], s._hHour[j], s._hLines[j], s._hUnits[j], s._hRevenue[j]) = (r.Store, r.Category, r.Hour, r.Lines, r.Units, r.Revenue);
            }

            var p = CollectionsMarshal.AsSpan(rows.Products);
            order = Bucket(p.Length, i => rows.Products[i].Day - first, count, out s._pStart);
            (s._pStore, s._pCat, s._pProduct, s._pUnits, s._pRevenue) = (new short[p.Length], new short[p.Length], new int[p.Length], new int[p.Length], new long[p.Length]);
            for (var j = 0; j < order.Length; j++)
            {
                ref readonly var r = ref p[order[j]];
                (s._pStore[j], s._pCat[j], s._pProduct[j], s._pUnits[j], s._pRevenue[j]) = (r.Store, r.Category, r.Product, r.Units, r.Revenue);
            }

            var rc = CollectionsMarshal.AsSpan(rows.Receipts);
            order = Bucket(rc.Length, i => rows.Receipts[i].Day - first, count, out s._rStart);
            (s._rStore, s._rMask, s._rReceipts) = (new short[rc.Length], new int[rc.Length], new int[rc.Length]);
            for (var j = 0; j < order.Length; j++)
            {
                ref readonly var r = ref rc[order[j]];
                (s._rStore[j], s._rMask[j], s._rReceipts[j]) = (r.Store, r.Mask, r.Receipts);
            }

            var c = CollectionsMarshal.AsSpan(rows.Customers);
            order = Bucket(c.Length, i => rows.Customers[i].Day - first, count, out s._cStart);
            (s._cStore, s._cCustomer, s._cMask) = (new short[c.Length], new int[c.Length], new int[c.Length]);
            for (var j = 0; j < order.Length; j++)
            {
                ref readonly var r = ref c[order[j]];
                (s._cStore[j], s._cCustomer[j], s._cMask[j]) = (r.Store, r.Customer, r.Mask);
            }
            s._maxCustomer = s._cCustomer.Length == 0 ? 0 : s._cCustomer.Max();
            s._maxProduct = s._pProduct.Length == 0 ? 0 : s._pProduct.Max();
            return s;
        }

        /// <summary>Back to rows, to merge new batches in without re-reading the old ones.</summary>
        public RowSet ToRowSet()
        {
            var r = new RowSet();
            for (var d = 0; d < DayCount; d++)
            {
                var day = FirstDay + d;
                for (var i = _hStart[d]; i < _hStart[d + 1]; i++)
                {
                    r.Hourly.Add((day, _hStore[i], _hCat[i], _hHour[i], _hLines[i], _hUnits[i], _hRevenue[i]));
                }
                for (var i = _pStart[d]; i < _pStart[d + 1]; i++)
                {
                    r.Products.Add((day, _pStore[i], _pProduct[i], _pCat[i], _pUnits[i], _pRevenue[i]));
                }
                for (var i = _rStart[d]; i < _rStart[d + 1]; i++)
                {
                    r.Receipts.Add((day, _rStore[i], _rMask[i], _rReceipts[i]));
                }
                for (var i = _cStart[d]; i < _cStart[d + 1]; i++)
                {
                    r.Customers.Add((day, _cStore[i], _cCustomer[i], _cMask[i]));
                }
            }
            return r;
        }

        /// <summary>Counting sort by day: the permutation, and each day's start offset (length days + 1).</summary>
        private static int[] Bucket(int n, Func<int, int> day, int days, out int[] start)
        {
            start = new int[days + 1];
            for (var i = 0; i < n; i++)
            {
                start[day(i) + 1]++;
            }
            for (var d = 0; d < days; d++)
            {
                start[d + 1] += start[d];
            }
            var next = start[..^1].ToArray();
            var order = new int[n];
            for (var i = 0; i < n; i++)
            {
                order[next[day(i)]++] = i;
            }
            return order;
        }

        private (int From, int To) Slice(int[] start, SalesFilter f)
        {
            var from = Math.Clamp(f.From.DayNumber - FirstDay, 0, DayCount);
            var to = Math.Clamp(f.To.DayNumber - FirstDay + 1, 0, DayCount);
            return from >= to ? (0, 0) : (start[from], start[to]);
        }

        private static bool[] Allowed(IReadOnlyList<short> keys) =>
            keys.Count == 0 ? [] : Enumerable.Range(0, keys.Max() + 1).Select(k => keys.Contains((short)k)).ToArray();

        private static bool Ok(bool[] allowed, short key) => allowed.Length == 0 || (key < allowed.Length && allowed[key]);

        public Kpis Kpis(SalesFilter f)
        {
            var stores = Allowed(f.Stores);
            var cats = Allowed(f.Categories);
            long revenue = 0, units = 0, lines = 0, receipts = 0;
            var (a, b) = Slice(_hStart, f);
            for (var i = a; i < b; i++)
            {
                if (Ok(stores, _hStore[i]) && Ok(cats, _hCat[i]))
                {
                    revenue += _hRevenue[i];
                    units += _hUnits[i];
                    lines += _hLines[i];
                }
            }
            var mask = f.CategoryMask;
            (a, b) = Slice(_rStart, f);
            for (var i = a; i < b; i++)
            {
                if (Ok(stores, _rStore[i]) && (_rMask[i] & mask) != 0)
                {
                    receipts += _rReceipts[i];
                }
            }
            var seen = new ulong[(_maxCustomer >> 6) + 1];
            (a, b) = Slice(_cStart, f);
            for (var i = a; i < b; i++)
            {
                if (Ok(stores, _cStore[i]) && (_cMask[i] & mask) != 0)
                {
                    var c = _cCustomer[i];
                    seen[c >> 6] |= 1UL << (c & 63);
                }
            }
            long customers = 0;
            foreach (var word in seen)
            {
                customers += BitOperations.PopCount(word);
            }
            return new Kpis(revenue, receipts, units, lines, customers);
        }

        public IReadOnlyList<DailyPoint> Daily(SalesFilter f)
        {
            var stores = Allowed(f.Stores);
            var cats = Allowed(f.Categories);
            var totals = new long[f.Days];
            for (var day = 0; day < f.Days; day++)
            {
                var d = f.From.DayNumber + day - FirstDay;
                if (d < 0 || d >= DayCount)
                {
                    continue;
                }
                for (var i = _hStart[d]; i < _hStart[d + 1]; i++)
                {
                    if (Ok(stores, _hStore[i]) && Ok(cats, _hCat[i]))
                    {
                        totals[day] += _hRevenue[i];
                    }
                }
            }
            var points = new List<DailyPoint>(f.Days);
            for (var day = 0; day < f.Days; day++)
            {
                var window = totals.AsSpan(Math.Max(0, day - 6), Math.Min(7, day + 1));
                long sum = 0;
                foreach (var v in window)
                {
                    sum += v;
                }
                points.Add(new DailyPoint(f.From.AddDays(day), totals[day], Math.Round((decimal)sum / window.Length, 2, MidpointRounding.AwayFromZero)));
            }
            return points;
        }

        public IReadOnlyList<NamedTotal> ByStore(SalesFilter f) => Group(f, _hStore, StoreNames);

        public IReadOnlyList<NamedTotal> ByCategory(SalesFilter f) => Group(f, _hCat, CategoryNames);

        // Keys are small surrogate keys: plain arrays indexed by key, not a dictionary and a delegate per row
        // (this loop was a quarter of a page's server time).
        private List<NamedTotal> Group(SalesFilter f, short[] keys, Dictionary<short, string> names)
        {
            var stores = Allowed(f.Stores);
            var cats = Allowed(f.Categories);
            var size = names.Count == 0 ? 1 : names.Keys.Max() + 1;
            var revenue = new long[size];
            var units = new long[size];
            var seen = new bool[size];
            var (a, b) = Slice(_hStart, f);
            for (var i = a; i < b; i++)
            {
                if (Ok(stores, _hStore[i]) && Ok(cats, _hCat[i]))
                {
                    var k = keys[i];
                    revenue[k] += _hRevenue[i];
                    units[k] += _hUnits[i];
                    seen[k] = true;
                }
            }
            var totals = new List<NamedTotal>();
            for (short k = 0; k < size; k++)
            {
                if (seen[k])
                {
                    totals.Add(new NamedTotal(names[k], revenue[k], units[k]));
                }
            }
            return totals.OrderByDescending(t => t.RevenuePence).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
        }

        public IReadOnlyList<TopProduct> TopProducts(SalesFilter f, TopBy by, int limit)
        {
            var stores = Allowed(f.Stores);
            var cats = Allowed(f.Categories);
            var units = new long[_maxProduct + 1];
            var revenue = new long[_maxProduct + 1];
            var present = new bool[_maxProduct + 1];
            var (a, b) = Slice(_pStart, f);
            for (var i = a; i < b; i++)
            {
                if (Ok(stores, _pStore[i]) && Ok(cats, _pCat[i]))
                {
                    var p = _pProduct[i];
                    units[p] += _pUnits[i];
                    revenue[p] += _pRevenue[i];
                    present[p] = true;
                }
            }
            long totalUnits = 0, totalRevenue = 0;
            var candidates = new List<int>();
            for (var p = 0; p < present.Length; p++)
            {
                if (present[p])
                {
                    totalUnits += units[p];
                    totalRevenue += revenue[p];
                    candidates.Add(p);
                }
            }
            var ordered = by == TopBy.Units
                ? candidates.OrderByDescending(p => units[p]).ThenByDescending(p => revenue[p])
                : candidates.OrderByDescending(p => revenue[p]).ThenByDescending(p => units[p]);
            var total = by == TopBy.Units ? totalUnits : totalRevenue;
            return ordered.ThenBy(p => ProductInfo[p].Sku, StringComparer.Ordinal).Take(limit)
                .Select((p, rank) => new TopProduct(rank + 1, ProductInfo[p].Sku, ProductInfo[p].Name, ProductInfo[p].Category, units[p], revenue[p],
                    total == 0 ? 0 : Math.Round(100m * (by == TopBy.Units ? units[p] : revenue[p]) / total, 2, MidpointRounding.AwayFromZero)))
                .ToList();
        }

        public IReadOnlyList<HeatCell> Heatmap(SalesFilter f)
        {
            var stores = Allowed(f.Stores);
            var cats = Allowed(f.Categories);
            var sums = new long[8, 24];
            var seen = new bool[8, 24];
            for (var day = f.From.DayNumber; day <= f.To.DayNumber; day++)
            {
                var d = day - FirstDay;
                if (d < 0 || d >= DayCount)
                {
                    continue;
                }
                var dow = (int)DateOnly.FromDayNumber(day).DayOfWeek;
                var iso = dow == 0 ? 7 : dow;
                for (var i = _hStart[d]; i < _hStart[d + 1]; i++)
                {
                    if (Ok(stores, _hStore[i]) && Ok(cats, _hCat[i]))
                    {
                        sums[iso, _hHour[i]] += _hRevenue[i];
                        seen[iso, _hHour[i]] = true;
                    }
                }
            }
            var cells = new List<HeatCell>();
            for (var d = 1; d <= 7; d++)
            {
                for (var h = 0; h < 24; h++)
                {
                    if (seen[d, h])
                    {
                        cells.Add(new HeatCell(d, h, sums[d, h]));
                    }
                }
            }
            return cells;
        }
    }
}
