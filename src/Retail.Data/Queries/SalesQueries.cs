using Npgsql;
using NpgsqlTypes;
using Retail.Data.Rollups;

namespace Retail.Data.Queries;

/// <summary>
/// The dashboard's read side. Every number is aggregated in SQL over the layered rollups (never raw facts): the
/// month rollups of months whose signature is current, the per-batch fine rollups of published batches for every
/// other day (<see cref="DateRangePlan"/>). Every query is parameterised, and only published batches count.
/// Unique customers are a HyperLogLog estimate (<see cref="Kpis.UniqueCustomersErrorBound"/>); every other figure is exact.
/// </summary>
public sealed partial class SalesQueries(NpgsqlDataSource db, Telemetry.RetailMetrics? metrics = null)
{
    // "Published" is defined once, by the view (ops/095_published_batches.sql).
    private const string Published = "batch_id IN (SELECT batch_id FROM ops.published_batches)";

    /// <summary>All widgets' data for one filter: which months are current is asked once, then the widgets run concurrently.</summary>
    public async Task<DashboardData> GetDashboardAsync(SalesFilter f, TopBy topBy, bool compareLastYear, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var current = await CurrentAsync(ct);
        var kpis = GetKpisAsync(f, compareLastYear, current, ct);
        var daily = GetDailyAsync(f, current, ct);
        var stores = ComparedTotalsAsync("by_store", f, compareLastYear, current, ct);
        var categories = ComparedTotalsAsync("by_category", f, compareLastYear, current, ct);
        var top = ComparedTopProductsAsync(f, topBy, 10, compareLastYear, current, ct);
        var heat = GetHeatmapAsync(f, current, ct);
        var previousDaily = GetDailyAsync(f.Previous, current, ct);
        var markers = GetDayMarkersAsync(f.From, f.To, ct);
        await Task.WhenAll(kpis, daily, stores, categories, top, heat, previousDaily, markers);
        metrics?.RecordDashboardQuery(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return new DashboardData(await kpis, await daily, await stores, await categories, await top, await heat)
        {
            PreviousDaily = await previousDaily,
            Markers = await markers,
        };
    }

    /// <summary>False reads only the per-batch fine rollups (the benchmark's reference; always exact, slower).</summary>
    public bool UseMonthRollups { get; init; } = true;

    /// <summary>False sums the store rows for all stores instead of reading the all-store rows (the benchmark measures them).</summary>
    public bool UseAllStoreRows { get; init; } = true;

    /// <summary>False leaves the week layer out (the benchmark measures what it adds).</summary>
    public bool UseWeekRollups { get; init; } = true;

    /// <summary>First days of the months whose month rollups match today's published batches (their signature is current).</summary>
    public async Task<IReadOnlySet<DateOnly>> CurrentMonthsAsync(CancellationToken ct) => (await CurrentAsync(ct)).Months;

    /// <summary>The months and weeks whose rollups may be read now, asked in one round trip.</summary>
    public async Task<CurrentRollups> CurrentAsync(CancellationToken ct)
    {
        if (!UseMonthRollups)
        {
            return CurrentRollups.None;
        }
        await using var batch = db.CreateBatch();
        foreach (var grain in RollupGrains.All)
        {
            var cmd = new NpgsqlBatchCommand(RollupSql.For(grain).Current);
            cmd.Parameters.Add(new NpgsqlParameter { Value = DateOnly.MinValue, NpgsqlDbType = NpgsqlDbType.Date });
            cmd.Parameters.Add(new NpgsqlParameter { Value = DateOnly.MaxValue, NpgsqlDbType = NpgsqlDbType.Date });
            batch.BatchCommands.Add(cmd);
        }
        var months = new HashSet<DateOnly>();
        var weeks = new HashSet<DateOnly>();
        await using var r = await batch.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            months.Add(r.GetFieldValue<DateOnly>(0));
        }
        await r.NextResultAsync(ct);
        while (await r.ReadAsync(ct))
        {
            weeks.Add(r.GetFieldValue<DateOnly>(0));
        }
        return new CurrentRollups(months, UseWeekRollups ? weeks : []);
    }

    public async Task<KpiComparison> GetKpisAsync(SalesFilter f, bool compareLastYear, CancellationToken ct) =>
        await GetKpisAsync(f, compareLastYear, await CurrentAsync(ct), ct);

    private async Task<KpiComparison> GetKpisAsync(SalesFilter f, bool compareLastYear, CurrentRollups current, CancellationToken ct)
    {
        var now = GetKpisForAsync(f, current, ct);
        var previous = GetKpisForAsync(f.Previous, current, ct);
        var lastYear = compareLastYear ? GetKpisForAsync(f.LastYear, current, ct) : Task.FromResult<Kpis>(null!);
        await Task.WhenAll(now, previous, lastYear);
        return new KpiComparison(await now, await previous, compareLastYear ? await lastYear : null);
    }

    public async Task<Kpis> GetKpisForAsync(SalesFilter f, CancellationToken ct) => await GetKpisForAsync(f, await CurrentAsync(ct), ct);

    private async Task<Kpis> GetKpisForAsync(SalesFilter f, CurrentRollups current, CancellationToken ct)
    {
        var plan = current.Plan(f.From, f.To);
        await using var batch = db.CreateBatch();
        foreach (var file in new[] { "kpis_sales", "kpis_receipts", "kpis_customers" })
        {
            var cmd = new NpgsqlBatchCommand(Sql(file, plan, f));
            AddParameters(cmd.Parameters, f, plan);
            batch.BatchCommands.Add(cmd);
        }
        await using var r = await batch.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var (revenue, units, lines, gross, returns, discount, returnUnits) =
            (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6));
        await r.NextResultAsync(ct);
        await r.ReadAsync(ct);
        var (receipts, refundOnly) = (r.GetInt64(0), r.GetInt64(1));
        await r.NextResultAsync(ct);
        await r.ReadAsync(ct);
        return new Kpis(revenue, receipts, units, lines, r.GetInt64(0))
        {
            GrossPence = gross,
            ReturnsPence = returns,
            DiscountPence = discount,
            ReturnUnits = returnUnits,
            RefundReceipts = refundOnly,
        };
    }

    public async Task<IReadOnlyList<DailyPoint>> GetDailyAsync(SalesFilter f, CancellationToken ct) =>
        await GetDailyAsync(f, await CurrentAsync(ct), ct);

    private async Task<IReadOnlyList<DailyPoint>> GetDailyAsync(SalesFilter f, CurrentRollups current, CancellationToken ct)
    {
        if (f.Days == 0)
        {
            return [];
        }
        // Six lead-in days, so the first points of the window get a true trailing average.
        var leadIn = f.From.DayNumber >= 6 ? f.From.AddDays(-6) : DateOnly.MinValue;
        await using var cmd = Command("daily", f, current.Plan(leadIn, f.To));
        var list = new List<DailyPoint>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new DailyPoint(r.GetFieldValue<DateOnly>(0), r.GetInt64(1), r.GetDecimal(2)));
        }
        return list;
    }

    public async Task<IReadOnlyList<NamedTotal>> GetByStoreAsync(SalesFilter f, CancellationToken ct) =>
        await Totals("by_store", f, await CurrentAsync(ct), ct);

    public async Task<IReadOnlyList<NamedTotal>> GetByCategoryAsync(SalesFilter f, CancellationToken ct) =>
        await Totals("by_category", f, await CurrentAsync(ct), ct);

    private async Task<IReadOnlyList<NamedTotal>> Totals(string file, SalesFilter f, CurrentRollups current, CancellationToken ct)
    {
        await using var cmd = Command(file, f, current.Plan(f.From, f.To));
        var list = new List<NamedTotal>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(ReadTotal(r));
        }
        return list;
    }

    private static NamedTotal ReadTotal(NpgsqlDataReader r) => new(r.GetString(0), r.GetInt64(1), r.GetInt64(2)) { Code = r.GetString(3) };

    public async Task<IReadOnlyList<TopProduct>> GetTopProductsAsync(SalesFilter f, TopBy by, int limit, CancellationToken ct) =>
        await GetTopProductsAsync(f, by, limit, await CurrentAsync(ct), ct);

    private async Task<IReadOnlyList<TopProduct>> GetTopProductsAsync(
        SalesFilter f, TopBy by, int limit, CurrentRollups current, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        var plan = current.Plan(f.From, f.To);
        var sql = Sql("top_products", plan, f)
            .Replace("/*order*/", by == TopBy.Units ? "units DESC, revenue DESC" : "revenue DESC, units DESC", StringComparison.Ordinal)
            .Replace("/*share*/", by == TopBy.Units
                ? "CASE WHEN total.units = 0 THEN 0 ELSE round(100.0 * p.units / total.units, 2) END"
                : "CASE WHEN total.revenue = 0 THEN 0 ELSE round(100.0 * p.revenue / total.revenue, 2) END", StringComparison.Ordinal)
            .Replace("/*limit*/", limit.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await using var cmd = db.CreateCommand(sql);
        AddParameters(cmd.Parameters, f, plan);
        var list = new List<TopProduct>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new TopProduct(
                list.Count + 1, r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetDecimal(5)));
        }
        return list;
    }

    public async Task<IReadOnlyList<HeatCell>> GetHeatmapAsync(SalesFilter f, CancellationToken ct) =>
        await GetHeatmapAsync(f, await CurrentAsync(ct), ct);

    private async Task<IReadOnlyList<HeatCell>> GetHeatmapAsync(SalesFilter f, CurrentRollups current, CancellationToken ct)
    {
        // The heat rollup has no week layer (marts/125): whole weeks are read from the fine rows.
        await using var cmd = Command("heatmap", f, current.Plan(f.From, f.To).WithoutWeeks());
        var list = new List<HeatCell>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new HeatCell(r.GetInt32(0), r.GetInt16(1), r.GetInt64(2)));
        }
        return list;
    }
}
