using Npgsql;

namespace Retail.Data.Queries;

/// <summary>What the dashboard shows around the figures: the filter's choices, the data's freshness, liveness.</summary>
public sealed partial class SalesQueries
{
    public async Task<FilterOptions> GetFilterOptionsAsync(CancellationToken ct)
    {
        var stores = await Choices("SELECT store_key, store_code, store_name FROM marts.dim_store ORDER BY store_name", ct);
        var categories = await Choices(
            "SELECT category_key, category_name, category_name FROM marts.dim_category ORDER BY category_name", ct);
        await using var cmd = db.CreateCommand(
            "SELECT min(min_sale_date), max(max_sale_date) FROM ops.published_batches");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new FilterOptions(stores, categories,
            r.IsDBNull(0) ? null : r.GetFieldValue<DateOnly>(0), r.IsDBNull(1) ? null : r.GetFieldValue<DateOnly>(1));
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

    public async Task<Freshness> GetFreshnessAsync(CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT max(finished_at), max(batch_id), coalesce(sum(rows_loaded), 0)::bigint, count(*)::int
            FROM ops.published_batches
            """));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT status, logical_date FROM ops.pipeline_runs ORDER BY run_id DESC LIMIT 1"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT DISTINCT ON (check_name) check_name, passed OR coalesce(status, '') = 'unreconciled'
            FROM ops.check_results ORDER BY check_name, checked_at DESC
            """));
        // Days on screen, and those whose every batch carries the control totals it was loaded with; the last reconciliation.
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            SELECT count(*)::int, (count(*) FILTER (WHERE vouched))::int,
                   (SELECT coalesce(status, CASE WHEN passed THEN 'pass' ELSE 'fail' END) FROM ops.check_results
                    WHERE check_name = 'reconciliation' ORDER BY checked_at DESC LIMIT 1),
                   (SELECT max(checked_at) FROM ops.check_results WHERE check_name = 'reconciliation')
            FROM (SELECT g.d, bool_and(b.has_control_totals) AS vouched
                  FROM ops.published_batches b
                  CROSS JOIN LATERAL generate_series(b.min_sale_date, b.max_sale_date, interval '1 day') AS g(d)
                  WHERE b.min_sale_date IS NOT NULL
                  GROUP BY g.d) days
            """));
        await using var r = await batch.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        DateTimeOffset? at = r.IsDBNull(0) ? null : r.GetFieldValue<DateTimeOffset>(0);
        int? id = r.IsDBNull(1) ? null : r.GetInt32(1);
        var rows = r.GetInt64(2);
        var batches = r.GetInt32(3);
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
        return new Freshness(at, id, rows, batches, runStatus, runDate, failing) { Reconciliation = reconciliation };
    }

    public async Task<bool> PingAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT 1");
        return (int)(await cmd.ExecuteScalarAsync(ct))! == 1;
    }
}
