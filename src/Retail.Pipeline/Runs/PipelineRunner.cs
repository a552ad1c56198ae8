using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Polly;
using Retail.Data;
using Retail.Data.Configuration;
using Retail.Core.Formats;
using Retail.Core.Generation;
using Retail.Data.Loading;
using Retail.Data.Runs;
using Retail.Data.Quality;
using Retail.Pipeline.Staging;

namespace Retail.Pipeline.Runs;

/// <summary>
/// The daily pipeline for one logical date: generate → load (unpublished) → check → publish, recorded in
/// ops.pipeline_runs/steps. A day that succeeded is not redone unless forced; only one run happens at a time,
/// across processes too (a PostgreSQL advisory lock). Steps retry transient database failures with backoff (one layer:
/// the load step hands the same policy to the loader, which retries per file). The caller applies the schema first.
/// </summary>
public sealed class PipelineRunner(NpgsqlDataSource db, PipelineOptions options, TimeProvider clock)
{
    private readonly RunLedger _runs = new(db);
    private readonly ResiliencePipeline _retry = TransientRetry.Create(clock, options.MaxAttempts, options.RetryDelay);

    /// <summary>Where runs, loads and checks are counted (the scheduler exports them); none by default.</summary>
    public Retail.Data.Telemetry.RetailMetrics? Metrics { get; init; }

    /// <summary>Where run and load events are logged; nowhere by default.</summary>
    public ILogger Log { get; init; } = NullLogger.Instance;

    public async Task<IReadOnlyList<DayResult>> RunRangeAsync(DateOnly from, DateOnly to, IProgress<DayResult>? progress,
        CancellationToken ct)
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
        await _retry.ExecuteAsync(async token => await _runs.LastSucceededDateAsync(token), ct);

    public async Task<DayResult> RunDayAsync(DateOnly date, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var result = await RunOnceAsync(date, ct);
        var outcome = result.Outcome switch
        {
            DayOutcome.Succeeded => "succeeded",
            DayOutcome.AlreadyDone => "already_done",
            _ => "failed",
        };
        Metrics?.RecordRun(outcome, clock.GetElapsedTime(started));
        return result;
    }

    private async Task<DayResult> RunOnceAsync(DateOnly date, CancellationToken ct)
    {
        // One run at a time, across processes: the lock lives as long as this connection.
        await using var lockConn = await _retry.ExecuteAsync(async token => await db.OpenConnectionAsync(token), ct);
        await RunLedger.LockAsync(lockConn, ct);
        try
        {
            if (!options.Force && await SucceededBeforeAsync(date, ct) is { } previous)
            {
                Log.AlreadyDone(date, previous);
                return new DayResult(date, DayOutcome.AlreadyDone, previous, 0, null, []);
            }
            var runId = await StartRunAsync(date, ct);
            Log.RunStarted(runId, date);
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

                // The loader applies this runner's retry per file; the step itself does not retry again.
                var report = await Step(runId, "load", retries: false, async token =>
                {
                    var loader = new WarehouseLoader(db, clock, Log, _retry);
                    var r = await loader.LoadAsync(files,
                        new LoadOptions { Force = options.Force, Publish = false, MaxRejectRate = options.MaxRejectRate, Parallelism = 1 },
                        null, token);
                    Metrics?.RecordLoad(r);
                    if (!r.Succeeded)
                    {
                        throw new PipelineStepException($"load failed: "
                            + $"{string.Join("; ", r.Files.Where(f => f.Outcome == FileOutcome.Failed).Select(f => f.Error))}");
                    }
                    return (r, r.RowsLoaded);
                }, ct);

                var checks = await Step(runId, "check", async token =>
                {
                    var quality = new QualityChecks(db, clock) { MaxRejectRate = options.MaxRejectRate };
                    var results = await quality.RunAsync(date, date, null, runId, includeUnpublished: true, token);
                    Metrics?.RecordChecks(results.Select(c => (c.Name, c.Passed)));
                    return (results, (long)results.Count(c => c.Passed));
                }, ct);
                // Reconciliation follows each batch's recorded control totals; only real failures stop the publish.
                var failing = checks.Where(c => c.Failed).ToList();
                if (failing.Count > 0)
                {
                    throw new PipelineStepException($"data-quality checks failed, {date:yyyy-MM-dd} not published: "
                        + $"{string.Join("; ", failing.Select(c => $"{c.Name} ({c.Observed})"))}");
                }

                await Step(runId, "publish", async token =>
                {
                    return (0,
                        await Publishing.PublishAsync(db, manifest.Files.Select(f => new FileIdentity(f.File, f.Sha256)).ToArray(), token));
                }, ct);
                await FinishRunAsync(runId, "succeeded", null, ct);
                Log.RunSucceeded(runId, date, report.RowsLoaded);
                return new DayResult(date, DayOutcome.Succeeded, runId, report.RowsLoaded, null, checks);
            }
            catch (Exception e) when (e is PipelineStepException or IOException || DatabaseErrors.IsDatabaseError(e))
            {
                try
                {
                    await _retry.ExecuteAsync(async token => await FinishRunAsync(runId, "failed", e.Message, token),
                        CancellationToken.None);
                }
                catch (Exception recordFailure) when (TransientRetry.IsTransient(recordFailure))
                {
                    // The database is still away; the run stays 'running' in the history and the day is retried next time.
                }
                Log.RunFailed(runId, date, e.Message);
                return new DayResult(date, DayOutcome.Failed, runId, 0, e.Message, []);
            }
        }
        finally
        {
            try
            {
                await RunLedger.UnlockAsync(lockConn, CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // The connection died (e.g. the server restarted): the session lock went with it.
            }
        }
    }

    private Task<T> Step<T>(int runId, string name, Func<CancellationToken, Task<(T Value, long Rows)>> body, CancellationToken ct) =>
        Step(runId, name, retries: true, body, ct);

    /// <summary>
    /// Runs one step, with this runner's retries unless the step applies them itself, recording it in
    /// ops.pipeline_steps.
    /// </summary>
    private async Task<T> Step<T>(int runId, string name, bool retries, Func<CancellationToken, Task<(T Value, long Rows)>> body,
        CancellationToken ct)
    {
        var attempts = 0;
        await RecordStepAsync(runId, name, "running", null, null, 0, ct);
        try
        {
            var (value, rows) = await (retries ? _retry : ResiliencePipeline.Empty).ExecuteAsync(async token =>
            {
                attempts++;
                return await body(token);
            }, ct);
            await RecordStepAsync(runId, name, "succeeded", rows, null, attempts, ct);
            Log.StepSucceeded(name, runId, attempts);
            return value;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await _retry.ExecuteAsync(async token => await RecordStepAsync(runId, name, "failed", null, e.Message, attempts, token),
                CancellationToken.None);
            throw;
        }
    }

    private async Task<int?> SucceededBeforeAsync(DateOnly date, CancellationToken ct) =>
        await _retry.ExecuteAsync(async token => await _runs.SucceededRunAsync(date, token), ct);

    private async Task<int> StartRunAsync(DateOnly date, CancellationToken ct) =>
        await _retry.ExecuteAsync(async token => await _runs.StartRunAsync(date, options.Trigger, clock.GetUtcNow(), token), ct);

    private Task FinishRunAsync(int runId, string status, string? error, CancellationToken ct) =>
        _runs.FinishRunAsync(runId, status, clock.GetUtcNow(), error, ct);

    private async Task RecordStepAsync(int runId, string step, string status, long? rows, string? error, int attempts,
        CancellationToken ct) =>
        await _retry.ExecuteAsync(
            async token => await _runs.RecordStepAsync(runId, step, status, clock.GetUtcNow(), rows, error, attempts, token), ct);
}

/// <summary>A step failed for a reason retrying cannot fix; the message says what.</summary>
public sealed class PipelineStepException(string message) : Exception(message);
