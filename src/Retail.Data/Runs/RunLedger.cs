using Npgsql;
using NpgsqlTypes;

namespace Retail.Data.Runs;

/// <summary>One pipeline run as <c>retail history</c> shows it; Steps is one line ("load:succeeded 1200, ...").</summary>
public sealed record RunSummary(int RunId, DateOnly LogicalDate, string Trigger, string Status, DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt, string Steps, string Error);

/// <summary>All SQL over ops.pipeline_runs and ops.pipeline_steps: the run history the pipeline writes and the CLI reads.</summary>
public sealed class RunLedger(NpgsqlDataSource db)
{
    private const long PipelineLock = 0x5245_5441_494C_0010;

    private static readonly string RecordStepSql = SqlResource.Read("runs/record_step.sql");
    private static readonly string HistorySql = SqlResource.Read("runs/history.sql");

    /// <summary>One run at a time, across processes: the lock lives as long as <paramref name="conn"/> (or until released).</summary>
    public static Task LockAsync(NpgsqlConnection conn, CancellationToken ct) =>
        conn.ExecAsync($"SELECT pg_advisory_lock({PipelineLock})", ct);

    public static Task UnlockAsync(NpgsqlConnection conn,
        CancellationToken ct) => conn.ExecAsync($"SELECT pg_advisory_unlock({PipelineLock})", ct);

    /// <summary>The newest logical date whose run succeeded.</summary>
    public async Task<DateOnly?> LastSucceededDateAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT max(logical_date) FROM ops.pipeline_runs WHERE status = 'succeeded'");
        return await cmd.ExecuteScalarAsync(ct) is DateOnly d ? d : null;
    }

    /// <summary>The run that already succeeded for this date, if any.</summary>
    public async Task<int?> SucceededRunAsync(DateOnly date, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            "SELECT max(run_id) FROM ops.pipeline_runs WHERE logical_date = $1 AND status = 'succeeded'");
        cmd.Parameters.Add(new NpgsqlParameter { Value = date, NpgsqlDbType = NpgsqlDbType.Date });
        return await cmd.ExecuteScalarAsync(ct) is int id ? id : null;
    }

    public async Task<int> StartRunAsync(DateOnly date, string trigger, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("INSERT INTO ops.pipeline_runs (logical_date, trigger, status, started_at) VALUES ($1, $2, "
            + "'running', $3) RETURNING run_id");
        cmd.Parameters.Add(new NpgsqlParameter { Value = date, NpgsqlDbType = NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = trigger });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now });
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task FinishRunAsync(int runId, string status, DateTimeOffset now, string? error, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE ops.pipeline_runs SET status = $2, finished_at = $3, error = $4 WHERE run_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = runId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = status });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task RecordStepAsync(int runId, string step, string status, DateTimeOffset now, long? rows, string? error, int attempts,
        CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(RecordStepSql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = runId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = step });
        cmd.Parameters.Add(new NpgsqlParameter { Value = status });
        cmd.Parameters.Add(new NpgsqlParameter { Value = now });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)rows ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Math.Max(1, attempts) });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The newest <paramref name="limit"/> runs, newest first.</summary>
    public async Task<IReadOnlyList<RunSummary>> HistoryAsync(int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(HistorySql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = Math.Max(1, limit) });
        var runs = new List<RunSummary>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            runs.Add(new RunSummary(r.GetInt32(0), r.GetFieldValue<DateOnly>(1), r.GetString(2), r.GetString(3),
                r.GetFieldValue<DateTimeOffset>(4),
                r.IsDBNull(5) ? null : r.GetFieldValue<DateTimeOffset>(5), r.GetString(6), r.GetString(7)));
        }
        return runs;
    }
}
