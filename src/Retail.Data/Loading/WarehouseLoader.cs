using Npgsql;
using Retail.Data.Warehouse;

namespace Retail.Data.Loading;

/// <summary>Loads staging files into the warehouse, several in parallel, each exactly once.</summary>
public sealed class WarehouseLoader(NpgsqlDataSource db, TimeProvider clock)
{
    // A file is safe to retry as a whole: its transaction rolled back, and exactly-once skips it if it had committed.
    private readonly Polly.ResiliencePipeline _retry = Configuration.TransientRetry.Create(clock);

    /// <summary>Files and folders (their *.csv and *.csv.gz) in name order; a missing path is an error naming it.</summary>
    public static IReadOnlyList<string> ResolveFiles(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
            {
                files.AddRange(Directory.EnumerateFiles(p)
                    .Where(f => f.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal));
            }
            else if (File.Exists(p))
            {
                files.Add(Path.GetFullPath(p));
            }
            else
            {
                throw new FileNotFoundException($"path not found: {p}. Give a staging file or folder (generate one with 'retail generate').");
            }
        }
        return files;
    }

    public async Task<LoadReport> LoadAsync(IReadOnlyList<string> files, LoadOptions options, IProgress<LoadProgress>? progress, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        await _retry.ExecuteAsync(async token => await WarehouseSchema.ApplyAsync(db, token), ct);
        var dims = await _retry.ExecuteAsync(async token => await DimensionCache.LoadAsync(db, token), ct);
        var partitions = new PartitionManager(db);
        await _retry.ExecuteAsync(async token => await partitions.RefreshAsync(token), ct);

        var results = new FileLoadResult[files.Count];
        var hashes = new string?[files.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = ct },
            async (i, token) =>
            {
                try
                {
                    hashes[i] = await SalesFileLoader.Sha256Async(files[i], token);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    results[i] = new FileLoadResult(files[i], FileOutcome.Failed, null, 0, 0, 0, e.Message);
                }
            });
        // Files loaded before are skipped here, without a transaction each; a file whose batch commits meanwhile
        // (another process) is still caught by the per-file lock and check.
        var loadedBefore = options.Force ? [] : await _retry.ExecuteAsync(async token => await LoadedHashesAsync(hashes.OfType<string>().ToArray(), token), ct);
        for (var i = 0; i < files.Count; i++)
        {
            if (hashes[i] is { } h && loadedBefore.TryGetValue(h, out var batch))
            {
                results[i] = new FileLoadResult(files[i], FileOutcome.Skipped, batch, 0, 0, 0, null);
            }
        }
        var toLoad = Enumerable.Range(0, files.Count).Where(i => results[i] is null).Select(i => files[i]).ToList();
        await _retry.ExecuteAsync(async token => await DimensionPreload.RunAsync(db, dims, toLoad, options.Parallelism, token), ct);

        var done = 0;
        long rows = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Parallelism), CancellationToken = ct },
            async (i, token) =>
            {
                if (results[i] is not null || hashes[i] is not { } sha)
                {
                    progress?.Report(new LoadProgress(Interlocked.Increment(ref done), files.Count, rows));
                    return;
                }
                var loader = new SalesFileLoader(db, dims, partitions, options, clock);
                try
                {
                    results[i] = await _retry.ExecuteAsync(async t => await loader.LoadAsync(files[i], sha, t), token);
                }
                catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
                {
                    // Nothing of the file was written: its transaction rolled back with the exception.
                    results[i] = new FileLoadResult(files[i], FileOutcome.Failed, null, 0, 0, 0, e.Message);
                }
                progress?.Report(new LoadProgress(Interlocked.Increment(ref done), files.Count, Interlocked.Add(ref rows, results[i].RowsRead)));
            });

        if (results.Any(r => r.Outcome == FileOutcome.Loaded))
        {
            await DurableBarrierAsync(ct);
            await AnalyzeAsync(results.Where(r => r.Outcome == FileOutcome.Loaded && r.MinDate is not null), ct);
        }
        return new LoadReport(results, clock.GetElapsedTime(started));
    }

    private async Task<Dictionary<string, int>> LoadedHashesAsync(string[] hashes, CancellationToken ct)
    {
        var set = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var cmd = db.CreateCommand("SELECT file_sha256, batch_id FROM ops.load_batches WHERE status = 'loaded' AND file_sha256 = ANY($1)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = hashes });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            set[r.GetString(0)] = r.GetInt32(1);
        }
        return set;
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

    private async Task Analyze(string sql, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
        await using var reset = new NpgsqlCommand("RESET default_statistics_target", conn);
        await reset.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Fresh statistics for what changed: the month partitions touched and the rollups.</summary>
    private async Task AnalyzeAsync(IEnumerable<FileLoadResult> loaded, CancellationToken ct)
    {
        var months = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var r in loaded)
        {
            for (var m = new DateOnly(r.MinDate!.Value.Year, r.MinDate.Value.Month, 1); m <= r.MaxDate!.Value; m = m.AddMonths(1))
            {
                months.Add($"marts.fct_sales_p{m:yyyy_MM}");
            }
        }
        // Fact partitions are scanned, never filtered selectively, so a small sample is enough for them;
        // the rollups the dashboard filters get the default sample. The two run side by side.
        await Task.WhenAll(
            Analyze($"SET default_statistics_target = 10; ANALYZE {string.Join(", ", months)};", ct),
            Analyze("ANALYZE marts.agg_sales_hourly, marts.agg_product_daily, marts.agg_receipts_daily, marts.agg_customers_daily, ops.load_batches;", ct));
    }
}
