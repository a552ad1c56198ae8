using System.Net.Sockets;
using Npgsql;
using NpgsqlTypes;
using Polly;
using Retail.Data;
using Retail.Data.Configuration;
using Retail.Core.Formats;
using Retail.Core.Generation;
using Retail.Data.Loading;
using Retail.Data.Warehouse;
using Retail.Pipeline.Quality;
using Retail.Pipeline.Staging;

namespace Retail.Pipeline.Runs;

/// <summary>
/// The daily pipeline for one logical date: generate → load (unpublished) → check → publish, recorded in
/// ops.pipeline_runs/steps. A day that succeeded is not redone unless forced; only one run happens at a time,
/// across processes too (a PostgreSQL advisory lock). Steps retry transient database failures with backoff.
/// </summary>
public sealed class PipelineRunner(NpgsqlDataSource db, PipelineOptions options, TimeProvider clock)
{
    private const long PipelineLock = 0x5245_5441_494C_0010;

    private readonly ResiliencePipeline _retry = TransientRetry.Create(clock, options.MaxAttempts, options.RetryDelay);

    /// <summary>Where runs, loads and checks are counted (the scheduler exports them); none by default.</summary>
    public Retail.Data.Telemetry.RetailMetrics? Metrics { get; init; }

    public async Task<IReadOnlyList<DayResult>> RunRangeAsync(DateOnly from, DateOnly to, IProgress<DayResult>? progress, CancellationToken ct)
    {
        var results = new List<DayResult>();
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            var r = await RunDayAsync(d, ct);
            results.Add(r);
            progress?.Report(r);
        }
        return results;
    }

    /// <summary>The newest logical date whose run succeeded, for the scheduler's catch-up.</summary>
    public async Task<DateOnly?> LastSucceededDateAsync(CancellationToken ct) =>
        await _retry.ExecuteAsync(async token =>
        {
            await WarehouseSchema.ApplyAsync(db, token);
            await using var cmd = db.CreateCommand("SELECT max(logical_date) FROM ops.pipeline_runs WHERE status = 'succeeded'");
            return await cmd.ExecuteScalarAsync(token) is DateOnly d ? d : (DateOnly?)null;
        }, ct);

    public async Task<DayResult> RunDayAsync(DateOnly date, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var result = await RunOnceAsync(date, ct);
        Metrics?.RecordRun(result.Outcome switch { DayOutcome.Succeeded => "succeeded", DayOutcome.AlreadyDone => "already_done", _ => "failed" }, clock.GetElapsedTime(started));
        return result;
    }

    private async Task<DayResult> RunOnceAsync(DateOnly date, CancellationToken ct)
    {
        await _retry.ExecuteAsync(async token => await WarehouseSchema.ApplyAsync(db, token), ct);
        // One run at a time, across processes: the lock lives as long as this connection.
        await using var lockConn = await _retry.ExecuteAsync(async token => await db.OpenConnectionAsync(token), ct);
        await lockConn.ExecAsync($"SELECT pg_advisory_lock({PipelineLock})", ct);
        try
        {
            if (!options.Force && await SucceededBeforeAsync(date, ct) is { } previous)
            {
                return new DayResult(date, DayOutcome.AlreadyDone, previous, 0, null, []);
            }
            var runId = await StartRunAsync(date, ct);
            try
            {
                var (manifest, files) = await Step(runId, "generate", async token =>
                {
                    var dir = Path.Combine(options.StagingRoot, date.ToString("yyyy-MM-dd"));
                    var generator = SalesGenerator.Create(new GeneratorOptions(options.RowsPerDay, options.Seed, date, date));
                    var m = await new StagingWriter(generator, dir, gzip: false, maxParallelism: 1).WriteAsync(null, token);
                    Metrics?.RecordGenerated(m.Totals.Rows);
                    return ((m, m.Files.Select(f => Path.Combine(dir, f.File)).ToList()), m.Totals.Rows);
                }, ct);

                var report = await Step(runId, "load", async token =>
                {
                    var loader = new WarehouseLoader(db, clock);
                    var r = await loader.LoadAsync(files, new LoadOptions { Force = options.Force, Publish = false, MaxRejectRate = options.MaxRejectRate, Parallelism = 1 }, null, token);
                    Metrics?.RecordLoad(r);
                    if (!r.Succeeded)
                    {
                        throw new PipelineStepException($"load failed: {string.Join("; ", r.Files.Where(f => f.Outcome == FileOutcome.Failed).Select(f => f.Error))}");
                    }
                    return (r, r.RowsLoaded);
                }, ct);

                var checks = await Step(runId, "check", async token =>
                {
                    var results = await new QualityChecks(db, clock) { MaxRejectRate = options.MaxRejectRate }.RunAsync(date, date, null, runId, includeUnpublished: true, token);
                    Metrics?.RecordChecks(results.Select(c => (c.Name, c.Passed)));
                    return (results, (long)results.Count(c => c.Passed));
                }, ct);
                // Reconciliation follows each batch's recorded control totals; only real failures stop the publish.
                var failing = checks.Where(c => c.Failed).ToList();
                if (failing.Count > 0)
                {
                    throw new PipelineStepException($"data-quality checks failed, {date:yyyy-MM-dd} not published: {string.Join("; ", failing.Select(c => $"{c.Name} ({c.Observed})"))}");
                }

                await Step(runId, "publish", async token =>
                {
                    return (0, await Publishing.PublishAsync(db, manifest.Files.Select(f => new FileIdentity(f.File, f.Sha256)).ToArray(), token));
                }, ct);
                await FinishRunAsync(runId, "succeeded", null, ct);
                return new DayResult(date, DayOutcome.Succeeded, runId, report.RowsLoaded, null, checks);
            }
            catch (Exception e) when (e is PipelineStepException or NpgsqlException or IOException or SocketException or TimeoutException)
            {
                try
                {
                    await _retry.ExecuteAsync(async token => await FinishRunAsync(runId, "failed", e.Message, token), CancellationToken.None);
                }
                catch (Exception recordFailure) when (TransientRetry.IsTransient(recordFailure))
                {
                    // The database is still away; the run stays 'running' in the history and the day is retried next time.
                }
                return new DayResult(date, DayOutcome.Failed, runId, 0, e.Message, []);
            }
        }
        finally
        {
            try
            {
                await lockConn.ExecAsync($"SELECT pg_advisory_unlock({PipelineLock})", CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // The connection died (e.g. the server restarted): the session lock went with it.
            }
        }
    }

    /// <summary>Runs one step with retries, recording it in ops.pipeline_steps.</summary>
    private async Task<T> Step<T>(int runId, string name, Func<CancellationToken, Task<(T Value, long Rows)>> body, CancellationToken ct)
    {
        var attempts = 0;
        await RecordStepAsync(runId, name, "running", null, null, 0, ct);
        try
        {
            var (value, rows) = await _retry.ExecuteAsync(async token =>
            {
                attempts++;
                return await body(token);
            }, ct);
            await RecordStepAsync(runId, name, "succeeded", rows, null, attempts, ct);
            return value;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await _retry.ExecuteAsync(async token => await RecordStepAsync(runId, name, "failed", null, e.Message, attempts, token), CancellationToken.None);
            throw;
        }
    }

    private async Task<int?> SucceededBeforeAsync(DateOnly date, CancellationToken ct) =>
        await _retry.ExecuteAsync(async token =>
        {
            await using var cmd = db.CreateCommand("SELECT max(run_id) FROM ops.pipeline_runs WHERE logical_date = $1 AND status = 'succeeded'");
            cmd.Parameters.Add(new NpgsqlParameter { Value = date, NpgsqlDbType = NpgsqlDbType.Date });
            return await cmd.ExecuteScalarAsync(token) is int id ? id : (int?)null;
        }, ct);

    private async Task<int> StartRunAsync(DateOnly date, CancellationToken ct) =>
        await _retry.ExecuteAsync(async token =>
        {
            await using var cmd = db.CreateCommand("INSERT INTO ops.pipeline_runs (logical_date, trigger, status, started_at) VALUES ($1, $2, 'running', $3) RETURNING run_id");
            cmd.Parameters.Add(new NpgsqlParameter { Value = date, NpgsqlDbType = NpgsqlDbType.Date });
            cmd.Parameters.Add(new NpgsqlParameter { Value = options.Trigger });
            cmd.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
            return (int)(await cmd.ExecuteScalarAsync(token))!;
        }, ct);

    private async Task FinishRunAsync(int runId, string status, string? error, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("UPDATE ops.pipeline_runs SET status = $2, finished_at = $3, error = $4 WHERE run_id = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = runId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = status });
        cmd.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task RecordStepAsync(int runId, string step, string status, long? rows, string? error, int attempts, CancellationToken ct)
    {
        await _retry.ExecuteAsync(async token =>
        {
            await using var cmd = db.CreateCommand("""
                INSERT INTO ops.pipeline_steps (run_id, step, status, started_at, finished_at, rows, attempts, error)
                VALUES ($1, $2, $3, $4, CASE WHEN $3 = 'running' THEN NULL ELSE $4 END, $5, $6, $7)
                ON CONFLICT (run_id, step) DO UPDATE SET status = EXCLUDED.status, finished_at = EXCLUDED.finished_at,
                    rows = EXCLUDED.rows, attempts = EXCLUDED.attempts, error = EXCLUDED.error
                """);
            cmd.Parameters.Add(new NpgsqlParameter { Value = runId });
            cmd.Parameters.Add(new NpgsqlParameter { Value = step });
            cmd.Parameters.Add(new NpgsqlParameter { Value = status });
            cmd.Parameters.Add(new NpgsqlParameter { Value = clock.GetUtcNow() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)rows ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            cmd.Parameters.Add(new NpgsqlParameter { Value = Math.Max(1, attempts) });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            await cmd.ExecuteNonQueryAsync(token);
        }, ct);
    }

}

/// <summary>A step failed for a reason retrying cannot fix; the message says what.</summary>
public sealed class PipelineStepException(string message) : Exception(message);
