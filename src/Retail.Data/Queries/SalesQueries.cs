using Npgsql;
using NpgsqlTypes;

namespace Retail.Data.Queries;

/// <summary>
/// The dashboard's read side. Every number is aggregated in SQL over the rollups (never raw facts), every query
/// is parameterised, and only published batches count.
/// </summary>
public sealed class SalesQueries(NpgsqlDataSource db)
{
    private const string Published = "batch_id IN (SELECT batch_id FROM ops.load_batches WHERE status = 'loaded' AND published)";
    private const string StoreFilter = "($3::smallint[] IS NULL OR store_key = ANY($3))";

    public async Task<FilterOptions> GetFilterOptionsAsync(CancellationToken ct)
    {
        var stores = await Choices("SELECT store_key, store_code, store_name FROM marts.dim_store ORDER BY store_name", ct);
        var categories = await Choices("SELECT category_key, category_name, category_name FROM marts.dim_category ORDER BY category_name", ct);
        await using var cmd = db.CreateCommand($"SELECT min(min_sale_date), max(max_sale_date) FROM ops.load_batches WHERE status = 'loaded' AND published");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new FilterOptions(stores, categories, r.IsDBNull(0) ? null : r.GetFieldValue<DateOnly>(0), r.IsDBNull(1) ? null : r.GetFieldValue<DateOnly>(1));
    }

    private async Task<List<Choice>> Choices(string sql, CancellationToken ct)
    {
        var list = new List<Choice>();
        await using var cmd = db.CreateCommand(sql);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new Choice(r.GetInt16(0), r.GetString(1), r.GetString(2)));
        }
        return list;
    }

    /// <summary>All widgets' data for one filter, queried concurrently on separate connections.</summary>
    public async Task<DashboardData> GetDashboardAsync(SalesFilter f, TopBy topBy, bool compareLastYear, CancellationToken ct)
    {
        var kpis = GetKpisAsync(f, compareLastYear, ct);
        var daily = GetDailyAsync(f, ct);
        var stores = GetByStoreAsync(f, ct);
        var categories = GetByCategoryAsync(f, ct);
        var top = GetTopProductsAsync(f, topBy, 10, ct);
        var heat = GetHeatmapAsync(f, ct);
        await Task.WhenAll(kpis, daily, stores, categories, top, heat);
        return new DashboardData(await kpis, await daily, await stores, await categories, await top, await heat);
    }

    public async Task<KpiComparison> GetKpisAsync(SalesFilter f, bool compareLastYear, CancellationToken ct)
    {
        var current = GetKpisForAsync(f, ct);
        var previous = GetKpisForAsync(f.Previous, ct);
        var lastYear = compareLastYear ? GetKpisForAsync(f.LastYear, ct) : Task.FromResult<Kpis>(null!);
        await Task.WhenAll(current, previous, lastYear);
        return new KpiComparison(await current, await previous, compareLastYear ? await lastYear : null);
    }

    public async Task<Kpis> GetKpisForAsync(SalesFilter f, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(BatchCommand($"""
            SELECT coalesce(sum(revenue_pence), 0)::bigint, coalesce(sum(units), 0)::bigint, coalesce(sum(lines), 0)::bigint
            FROM marts.agg_sales_hourly
            WHERE sale_date BETWEEN $1 AND $2 AND {StoreFilter} AND ($4::smallint[] IS NULL OR category_key = ANY($4)) AND {Published}
            """, f));
        batch.BatchCommands.Add(BatchCommand($"""
            SELECT coalesce(sum(receipts), 0)::bigint
            FROM marts.agg_receipts_daily
            WHERE sale_date BETWEEN $1 AND $2 AND {StoreFilter} AND category_mask & $5 <> 0 AND {Published}
            """, f));
        batch.BatchCommands.Add(BatchCommand($"""
            SELECT count(DISTINCT customer_key)
            FROM marts.agg_customers_daily
            WHERE sale_date BETWEEN $1 AND $2 AND {StoreFilter} AND category_mask & $5 <> 0 AND {Published}
            """, f));
        await using var r = await batch.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var (revenue, units, lines) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
        await r.NextResultAsync(ct);
        await r.ReadAsync(ct);
        var receipts = r.GetInt64(0);
        await r.NextResultAsync(ct);
        await r.ReadAsync(ct);
        return new Kpis(revenue, receipts, units, lines, r.GetInt64(0));
    }

    public async Task<IReadOnlyList<DailyPoint>> GetDailyAsync(SalesFilter f, CancellationToken ct)
    {
        await using var cmd = Command($"""
            WITH days AS (SELECT d::date AS day FROM generate_series($1::date, $2::date, interval '1 day') d),
                 sales AS (
                    SELECT sale_date, sum(revenue_pence) AS revenue
                    FROM marts.agg_sales_hourly
                    WHERE sale_date BETWEEN $1 AND $2 AND {StoreFilter} AND ($4::smallint[] IS NULL OR category_key = ANY($4)) AND {Published}
                    GROUP BY sale_date)
            SELECT day, coalesce(revenue, 0)::bigint,
                   round(avg(coalesce(revenue, 0)) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW), 2)
            FROM days LEFT JOIN sales ON sales.sale_date = days.day
            ORDER BY day
            """, f);
        var list = new List<DailyPoint>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new DailyPoint(r.GetFieldValue<DateOnly>(0), r.GetInt64(1), r.GetDecimal(2)));
        }
        return list;
    }

    public Task<IReadOnlyList<NamedTotal>> GetByStoreAsync(SalesFilter f, CancellationToken ct) => Totals($"""
        SELECT s.store_name, coalesce(sum(a.revenue_pence), 0)::bigint AS revenue, coalesce(sum(a.units), 0)::bigint
        FROM marts.agg_sales_hourly a JOIN marts.dim_store s USING (store_key)
        WHERE a.sale_date BETWEEN $1 AND $2 AND {StoreFilter} AND ($4::smallint[] IS NULL OR category_key = ANY($4)) AND a.{Published}
        GROUP BY s.store_name ORDER BY revenue DESC, s.store_name COLLATE "C"
        """, f, ct);

    public Task<IReadOnlyList<NamedTotal>> GetByCategoryAsync(SalesFilter f, CancellationToken ct) => Totals($"""
        SELECT c.category_name, coalesce(sum(a.revenue_pence), 0)::bigint AS revenue, coalesce(sum(a.units), 0)::bigint
        FROM marts.agg_sales_hourly a JOIN marts.dim_category c USING (category_key)
        WHERE a.sale_date BETWEEN $1 AND $2 AND {StoreFilter} AND ($4::smallint[] IS NULL OR category_key = ANY($4)) AND a.{Published}
        GROUP BY c.category_name ORDER BY revenue DESC, c.category_name COLLATE "C"
        """, f, ct);

    private async Task<IReadOnlyList<NamedTotal>> Totals(string sql, SalesFilter f, CancellationToken ct)
    {
        await using var cmd = Command(sql, f);
        var list = new List<NamedTotal>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new NamedTotal(r.GetString(0), r.GetInt64(1), r.GetInt64(2)));
        }
        return list;
    }

    public async Task<IReadOnlyList<TopProduct>> GetTopProductsAsync(SalesFilter f, TopBy by, int limit, CancellationToken ct)
    {
        var order = by == TopBy.Units ? "units DESC, revenue DESC" : "revenue DESC, units DESC";
        await using var cmd = Command($"""
            WITH p AS (
                SELECT product_key, sum(units)::bigint AS units, sum(revenue_pence)::bigint AS revenue
                FROM marts.agg_product_daily
                WHERE sale_date BETWEEN $1 AND $2 AND {StoreFilter} AND ($4::smallint[] IS NULL OR category_key = ANY($4)) AND {Published}
                GROUP BY product_key),
            total AS (SELECT sum(revenue) AS revenue, sum(units) AS units FROM p)
            SELECT d.sku, d.product_name, c.category_name, p.units, p.revenue,
                   CASE WHEN {(by == TopBy.Units ? "total.units" : "total.revenue")} = 0 THEN 0
                        ELSE round(100.0 * {(by == TopBy.Units ? "p.units / total.units" : "p.revenue / total.revenue")}, 2) END
            FROM p CROSS JOIN total
            JOIN marts.dim_product d USING (product_key)
            JOIN marts.dim_category c ON c.category_key = d.category_key
            ORDER BY {order}, d.sku COLLATE "C"
            LIMIT {limit}
            """, f);
        var list = new List<TopProduct>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new TopProduct(list.Count + 1, r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetDecimal(5)));
        }
        return list;
    }

    public async Task<IReadOnlyList<HeatCell>> GetHeatmapAsync(SalesFilter f, CancellationToken ct)
    {
        await using var cmd = Command($"""
            SELECT extract(isodow FROM sale_date)::int, hour_of_day, sum(revenue_pence)::bigint
            FROM marts.agg_sales_hourly
            WHERE sale_date BETWEEN $1 AND $2 AND {StoreFilter} AND ($4::smallint[] IS NULL OR category_key = ANY($4)) AND {Published}
            GROUP BY 1, 2 ORDER BY 1, 2
            """, f);
        var list = new List<HeatCell>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new HeatCell(r.GetInt32(0), r.GetInt16(1), r.GetInt64(2)));
        }
        return list;
    }

    public async Task<Freshness> GetFreshnessAsync(CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT max(finished_at), max(batch_id), (SELECT file_name FROM ops.load_batches WHERE status = 'loaded' ORDER BY batch_id DESC LIMIT 1),
                   coalesce(sum(rows_loaded), 0)::bigint, count(*)::int
            FROM ops.load_batches WHERE status = 'loaded' AND published
            """));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT status, logical_date FROM ops.pipeline_runs ORDER BY run_id DESC LIMIT 1"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT DISTINCT ON (check_name) check_name, passed OR coalesce(status, '') = 'unreconciled' FROM ops.check_results ORDER BY check_name, checked_at DESC
            """));
        // Days on screen, and those whose every batch carries the control totals it was loaded with; the last reconciliation.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT count(*)::int, (count(*) FILTER (WHERE vouched))::int,
                   (SELECT coalesce(status, CASE WHEN passed THEN 'pass' ELSE 'fail' END) FROM ops.check_results WHERE check_name = 'reconciliation' ORDER BY checked_at DESC LIMIT 1),
                   (SELECT max(checked_at) FROM ops.check_results WHERE check_name = 'reconciliation')
            FROM (SELECT g.d, bool_and(b.has_control_totals) AS vouched
                  FROM ops.load_batches b CROSS JOIN LATERAL generate_series(b.min_sale_date, b.max_sale_date, interval '1 day') AS g(d)
                  WHERE b.status = 'loaded' AND b.published AND b.min_sale_date IS NOT NULL
                  GROUP BY g.d) days
            """));
        await using var r = await batch.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        DateTimeOffset? at = r.IsDBNull(0) ? null : r.GetFieldValue<DateTimeOffset>(0);
        int? id = r.IsDBNull(1) ? null : r.GetInt32(1);
        var file = r.IsDBNull(2) ? null : r.GetString(2);
        var rows = r.GetInt64(3);
        var batches = r.GetInt32(4);
        await r.NextResultAsync(ct);
        string? runStatus = null;
        DateOnly? runDate = null;
        if (await r.ReadAsync(ct))
        {
            runStatus = r.GetString(0);
            runDate = r.GetFieldValue<DateOnly>(1);
        }
        await r.NextResultAsync(ct);
        var failing = new List<string>();
        while (await r.ReadAsync(ct))
        {
            if (!r.GetBoolean(1))
            {
                failing.Add(r.GetString(0));
            }
        }
        await r.NextResultAsync(ct);
        await r.ReadAsync(ct);
        var reconciliation = new ReconciliationStatus(r.GetInt32(0), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetString(2),
            r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3));
        return new Freshness(at, id, file, rows, batches, runStatus, runDate, failing) { Reconciliation = reconciliation };
    }

    public async Task<bool> PingAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT 1");
        return (int)(await cmd.ExecuteScalarAsync(ct))! == 1;
    }

    private NpgsqlCommand Command(string sql, SalesFilter f)
    {
        var cmd = db.CreateCommand(sql);
        AddParameters(cmd.Parameters, f);
        return cmd;
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, SalesFilter f)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        AddParameters(cmd.Parameters, f);
        return cmd;
    }

    private static void AddParameters(NpgsqlParameterCollection p, SalesFilter f)
    {
        p.Add(new NpgsqlParameter { Value = f.From, NpgsqlDbType = NpgsqlDbType.Date });
        p.Add(new NpgsqlParameter { Value = f.To, NpgsqlDbType = NpgsqlDbType.Date });
        p.Add(new NpgsqlParameter { Value = (object?)f.StoreArray ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        p.Add(new NpgsqlParameter { Value = (object?)f.CategoryArray ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint });
        p.Add(new NpgsqlParameter { Value = f.CategoryMask, NpgsqlDbType = NpgsqlDbType.Integer });
    }
}
