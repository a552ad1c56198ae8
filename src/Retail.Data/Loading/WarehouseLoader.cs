using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Polly;

namespace Retail.Data.Loading;

/// <summary>
/// Loads staging files into a warehouse whose schema its caller has applied, several in parallel, each exactly once.
/// </summary>
/// <param name="retry">
/// The caller's retry policy, the only one around a load: the loader applies it per file (a file is safe to retry as
/// a whole: its transaction rolled back, and exactly-once skips it if it had committed) and to its own few queries,
/// so an outage costs the files in flight, not the load. Null: no retry (the caller retries the whole load).
/// </param>
public sealed class WarehouseLoader(NpgsqlDataSource db, TimeProvider clock, ILogger? logger = null, ResiliencePipeline? retry = null)
{
    private readonly ILogger _log = logger ?? NullLogger.Instance;
    private readonly ResiliencePipeline _retry = retry ?? ResiliencePipeline.Empty;

    /// <summary>Files and folders (their *.csv and *.csv.gz) in name order; a missing path is an error naming it.</summary>
    public static IReadOnlyList<string> ResolveFiles(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
            {
                files.AddRange(Directory.EnumerateFiles(p)
                    .Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".csv.gz",
                        StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(p))
            {
                files.Add(Path.GetFullPath(p));
            }
            else
            {
                throw new FileNotFoundException(
                    $"path not found: {p}. Give a staging file or folder (generate one with 'retail generate').");
            }
        }
        return files;
    }

    public async Task<LoadReport> LoadAsync(IReadOnlyList<string> files, LoadOptions options, IProgress<LoadProgress>? progress,
        CancellationToken ct)
    {
        var startedAt = clock.GetTimestamp();
        var timings = new LoadTimings(clock);
        var setup = timings.Measure(LoadPhase.Setup);
        var dims = await _retry.ExecuteAsync(async token => await DimensionCache.LoadAsync(db, token), ct);
        var partitions = new PartitionManager(db);
        await _retry.ExecuteAsync(async token => await partitions.RefreshAsync(token), ct);
        setup.Dispose();

        var results = new FileLoadResult?[files.Count];
        var identities = new FileIdentity[files.Count];
        var started = clock.GetUtcNow();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = ct };
        var identify = timings.Measure(LoadPhase.Identify);
        for (var i = 0; i < files.Count; i++)
        {
            if (StagingFile.Refusal(files[i]) is { } refusal)
            {
                // Every file gets a verdict in the ledger, even one that could not be read.
                results[i] = await RefuseAsync(files[i], refusal, started, ct);
            }
        }
        // Only a file whose name was loaded before can be the same content again: those are hashed now, to be skipped
        // without a transaction each. The others are hashed by the dimension pass, in the read that scans them.
        // A file whose batch commits meanwhile (another process) is still caught by the per-file lock and check.
        var readable = Enumerable.Range(0, files.Count).Where(i => results[i] is null).ToList();
        var seenNames = options.Force ? [] : await _retry.ExecuteAsync(
            async token => await BatchLedger.LoadedNamesAsync(db, readable.Select(i => Path.GetFileName(files[i])).ToArray(), token), ct);
        var rerun = readable.Where(i => seenNames.Contains(Path.GetFileName(files[i]))).ToList();
        await Parallel.ForEachAsync(rerun, parallel,
            async (i, token) => results[i] = await IdentifyAsync(files[i], identities, i, started, token));
        rerun.RemoveAll(i => results[i] is not null);
        var loadedBefore = rerun.Count == 0 ? [] : await _retry.ExecuteAsync(
            async token => await BatchLedger.LoadedAsync(db, rerun.Select(i => identities[i]).ToArray(), token), ct);
        foreach (var i in rerun.Where(i => loadedBefore.ContainsKey(identities[i])))
        {
            results[i] = new FileLoadResult(files[i], FileOutcome.Skipped, loadedBefore[identities[i]], 0, 0, 0, null);
        }
        identify.Dispose();

        var toLoad = Enumerable.Range(0, files.Count).Where(i => results[i] is null).ToList();
        var dimensionPass = timings.Measure(LoadPhase.DimensionPass);
        var toScan = toLoad.Select(i => files[i]).ToArray();
        var preloaded = await _retry.ExecuteAsync(
            async token => await DimensionPreload.RunAsync(db, dims, toScan, options.Parallelism, token), ct);
        await _retry.ExecuteAsync(async token => await partitions.EnsureAsync(preloaded.Months, token), ct);
        foreach (var i in toLoad)
        {
            // A file the pass could not read to the end is hashed on its own; its load then gives the verdict.
            results[i] = preloaded[files[i]] is { } scanned
                ? SetIdentity(identities, i, FileIdentity.Of(files[i], scanned.Sha256))
                : await IdentifyAsync(files[i], identities, i, started, ct);
        }
        dimensionPass.Dispose();
        // The pass leaves its pending members, the key map's outgrown tables and its per-file state behind, mostly in
        // the large object heap, which only a compacting full collection hands back. One here (tens of ms) took the
        // peak of December of the 100M-line year from 277–288 to 239 MiB; one after every file took only ~10 MB more.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

        var controlTotals = new ControlTotals();
        var done = 0;
        long rows = 0;
        var filesPhase = timings.Measure(LoadPhase.Files);
        await Parallel.ForEachAsync(
            Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = ct },
            async (i, token) =>
            {
                if (results[i] is null)
                {
                    var loader = new SalesFileLoader(db, dims, partitions, controlTotals, options, clock, timings);
                    var scanned = preloaded[files[i]];
                    results[i] = await _retry.ExecuteAsync(async t => await loader.LoadAsync(files[i], identities[i], scanned, t), token);
                }
                _log.File(results[i]!);
                progress?.Report(new LoadProgress(Interlocked.Increment(ref done), files.Count,
                    Interlocked.Add(ref rows, results[i]!.RowsRead)));
            });
        filesPhase.Dispose();
        return await FinishAsync([.. results.Select(r => r!)], timings, startedAt, partitions, ct);
    }

    /// <summary>After the files: one durable commit, the month rollups and fresh statistics (when anything loaded).</summary>
    private async Task<LoadReport> FinishAsync(FileLoadResult[] results, LoadTimings timings, long startedAt, PartitionManager partitions,
        CancellationToken ct)
    {
        string? warning = null;
        if (results.Any(r => r.Outcome == FileOutcome.Loaded))
        {
            using (timings.Measure(LoadPhase.DurableBarrier))
            {
                await DurableBarrierAsync(ct);
            }
            var rebuilt = 0;
            using (timings.Measure(LoadPhase.PeriodRollups))
            {
                (rebuilt, warning) = await RebuildMonthsAsync(ct);
            }
            using var statistics = timings.Measure(LoadPhase.Statistics);
            // A rebuild that finished analyzed the fine rollups first (FineRollups.RefreshAsync): not twice. One that
            // failed still leaves fresh statistics behind, and the first warning is the one reported.
            var loaded = results.Where(r => r.Outcome == FileOutcome.Loaded && r.MinDate is not null);
            var analyzeWarning = await AnalyzeAsync(loaded, partitions, fineRollupsToo: rebuilt == 0, ct);
            warning ??= analyzeWarning;
        }
        return new LoadReport(results, clock.GetElapsedTime(startedAt)) { Warning = warning, Timings = timings };
    }

    /// <summary>Hashes a file on its own; a file that cannot be read gets its failed batch (returned), else null.</summary>
    private async Task<FileLoadResult?> IdentifyAsync(string file, FileIdentity[] identities, int i, DateTimeOffset started,
        CancellationToken ct)
    {
        try
        {
            return SetIdentity(identities, i, FileIdentity.Of(file, await StagingFile.Sha256Async(file, ct)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return await RefuseAsync(file, e.Message, started, ct);
        }
    }

    private static FileLoadResult? SetIdentity(FileIdentity[] identities, int i, FileIdentity identity)
    {
        identities[i] = identity;
        return null;
    }

    private async Task<FileLoadResult> RefuseAsync(string file, string refusal, DateTimeOffset started, CancellationToken ct)
    {
        var reason = $"{Path.GetFileName(file)}: {refusal}";
        var unread = FileIdentity.Of(file, null);
        var id = await _retry.ExecuteAsync(
            async t => await BatchLedger.RecordFailureAsync(db, unread, 0, [], started, clock.GetUtcNow(), reason, t), ct);
        return new FileLoadResult(file, FileOutcome.Failed, id, 0, 0, 0, reason);
    }

    /// <summary>
    /// Batches commit with synchronous_commit off; one synchronous commit at the end flushes the WAL of all of
    /// them, so when the load reports success every batch is durable.
    /// </summary>
    private async Task DurableBarrierAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("SET LOCAL synchronous_commit = on; SELECT txid_current();", conn))
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// The month rollups of the months this load touched (and any other stale one). Best effort: until a month is
    /// rebuilt the dashboard reads its fine rollups, exact but slower.
    /// </summary>
    private async Task<(int Rebuilt, string? Warning)> RebuildMonthsAsync(CancellationToken ct)
    {
        try
        {
            return (await Rollups.PeriodRollups.RebuildStaleAsync(db, ct), null);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return (0, $"month rollups were not rebuilt ({e.Message}); the dashboard stays exact but slower until 'retail rollups rebuild' "
                + $"runs.");
        }
    }

    private async Task Analyze(string sql, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
        await using var reset = new NpgsqlCommand("RESET default_statistics_target", conn);
        await reset.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Fresh statistics for what changed: the month partitions touched and the rollups. Best effort: the batches have
    /// committed, so a failure here is a warning, never a failed load.
    /// </summary>
    private async Task<string?> AnalyzeAsync(IEnumerable<FileLoadResult> loaded, PartitionManager partitions, bool fineRollupsToo,
        CancellationToken ct)
    {
        var months = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var r in loaded)
        {
            for (var m = new DateOnly(r.MinDate!.Value.Year, r.MinDate.Value.Month, 1); m <= r.MaxDate!.Value; m = m.AddMonths(1))
            {
                // A file may hold a stray far-future row: only months that have a partition.
                if (partitions.Has(m))
                {
                    months.Add($"marts.fct_sales_p{m:yyyy_MM}");
                }
            }
        }
        if (months.Count == 0)
        {
            return null;
        }
        IEnumerable<string> rollups = [.. Rollups.PeriodRollups.Tables, "ops.load_batches"];
        if (fineRollupsToo)
        {
            rollups = rollups.Concat(Rollups.FineRollups.Tables);
        }
        try
        {
            // Fact partitions are scanned, never filtered selectively, so a small sample is enough for them;
            // the rollups the dashboard filters get the default sample. The two run side by side.
            await Task.WhenAll(
                Analyze($"SET default_statistics_target = 10; ANALYZE {string.Join(", ", months)};", ct),
                Analyze($"ANALYZE {string.Join(", ", rollups)};", ct));
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return $"statistics were not refreshed ({e.Message}); queries may be slower until the next load or an ANALYZE.";
        }
    }
}
