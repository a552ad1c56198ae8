using Npgsql;
using NpgsqlTypes;
using Retail.Core;
using Retail.Core.Catalogue;
using Retail.Core.Formats;

namespace Retail.Data.Quality;

public sealed record CheckResult(string Name, bool Passed, string Observed, string Expected)
{
    /// <summary>
    /// Not a failure and never a pass: some batches have no control totals to reconcile against (loaded without a
    /// manifest). <see cref="Passed"/> is false; gates that only stop on real failures look at <see cref="Failed"/>.
    /// </summary>
    public bool Unreconciled { get; init; }

    public bool Failed => !Passed && !Unreconciled;

    public string Status => Passed ? "pass" : Unreconciled ? "unreconciled" : "FAIL";
}

/// <summary>
/// dbt/Soda-style data-quality checks over one sale date (or, with no date, everything), stored with their results.
/// </summary>
public sealed class QualityChecks(NpgsqlDataSource db, TimeProvider clock)
{
    private static readonly string StoreResultSql = SqlResource.Read("quality/store_result.sql");

    public double MaxRejectRate { get; init; } = 0.01;

    /// <summary>
    /// Runs every check for [from, to]. Reconciliation compares each batch with the control totals recorded with it;
    /// a manifest given on demand is reconciled against the facts as well.
    /// </summary>
    public async Task<IReadOnlyList<CheckResult>> RunAsync(DateOnly from, DateOnly to, Manifest? manifest, int? runId,
        bool includeUnpublished, CancellationToken ct)
    {
        var counted = Batches.View(includeUnpublished);
        // Independent read-only queries: run side by side, each on its own pooled connection.
        var checks = new List<Task<CheckResult>>
        {
            Zero("not_null_keys", counted, from, to, ct),
            Zero("unique_sale_lines", counted, from, to, ct),
            Zero("accepted_values", counted, from, to, ct, SalesCsv.PaymentMethods, SalesCsv.Channels,
                ProductCatalogue.Categories.Select(x => x.Name).ToArray()),
            Zero("referential_integrity", counted, from, to, ct),
            RejectRateAsync(from, to, ct),
            FreshnessAsync(to, ct),
            AnomalyAsync(from, to, counted, ct),
            ReconcileBatchesAsync(from, to, counted, ct),
            RollupsMatchFactsAsync(from, to, ct),
        };
        if (manifest is not null)
        {
            checks.Add(ReconcileAsync(from, to, manifest, counted, ct));
        }
        var results = await Task.WhenAll(checks);
        await StoreAsync(results, runId, from == to ? from : null, ct);
        return results;
    }

    /// <summary>The check's SQL file, over the published batches or, when <paramref name="counted"/> says so, all loaded ones.</summary>
    private static string Sql(string name, string counted = Batches.Published) =>
        SqlResource.Read($"quality/{name}.sql").Replace(Batches.Published, counted, StringComparison.Ordinal);

    private async Task<CheckResult> Zero(string name, string counted, DateOnly from, DateOnly to, CancellationToken ct,
        params object[] extra)
    {
        await using var cmd = db.CreateCommand(Sql(name, counted));
        cmd.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.Date });
        foreach (var e in extra)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = e });
        }
        var bad = (long)(await cmd.ExecuteScalarAsync(ct))!;
        return new CheckResult(name, bad == 0, $"{bad} failing rows", "0 failing rows");
    }

    /// <summary>What the dashboard reads (fine and current month rollups) equals the facts, day by day.</summary>
    private async Task<CheckResult> RollupsMatchFactsAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var failing = await RollupsMatchFacts.FailingDaysAsync(db, from, to, ct);
        var observed = failing.Count == 0 ? "0 failing days"
            : $"{failing.Count} (day, rollup) pairs differ, e.g. "
                + $"{string.Join("; ", failing.Take(3).Select(f => $"{f.Day:yyyy-MM-dd} {f.Rollup}"))}: run "
                + RollupsMatchFacts.Repair(failing);
        return new CheckResult(RollupsMatchFacts.Name, failing.Count == 0, observed, "0 failing days");
    }

    private async Task<CheckResult> RejectRateAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql("reject_rate"));
        cmd.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.Date });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var (rejected, read) = (r.GetInt64(0), r.GetInt64(1));
        var rate = read == 0 ? 0 : (double)rejected / read;
        return new CheckResult("rejected_row_rate", rate <= MaxRejectRate, $"{rate:P2} ({rejected} of {read})", $"<= {MaxRejectRate:P2}");
    }

    /// <summary>The newest sale must reach the end of the checked period (the day before today for a full check).</summary>
    private async Task<CheckResult> FreshnessAsync(DateOnly to, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT max(max_sale_date) FROM {Batches.Loaded}");
        var newest = await cmd.ExecuteScalarAsync(ct) is DateOnly d ? d : (DateOnly?)null;
        // Stores close on Christmas Day and Easter Sunday, so the newest sale may be a day or two older.
        var expected = to.AddDays(-2);
        return new CheckResult("freshness", newest >= expected, newest?.ToString("yyyy-MM-dd") ?? "no data", $">= {expected:yyyy-MM-dd}");
    }

    /// <summary>Each day's line count against the trailing 28-day average: within 0.25× to 4× (Black Friday is ~2.5×).</summary>
    private async Task<CheckResult> AnomalyAsync(DateOnly from, DateOnly to, string counted, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Sql("row_count_anomaly", counted));
        cmd.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.Date });
        var outliers = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            outliers.Add($"{r.GetFieldValue<DateOnly>(0):yyyy-MM-dd}: {r.GetInt64(1)} vs ~{r.GetDecimal(2)}");
        }
        return new CheckResult("row_count_anomaly", outliers.Count == 0,
            outliers.Count == 0 ? "all days within range" : string.Join("; ", outliers.Take(3)),
            "0.25× to 4× the trailing 28-day average");
    }

    /// <summary>Lines, units and revenue per store per day equal the generator's control totals, to the penny.</summary>
    private async Task<CheckResult> ReconcileAsync(DateOnly from, DateOnly to, Manifest manifest, string counted, CancellationToken ct)
    {
        var expected = manifest.ControlTotals.Where(c => c.Date >= from && c.Date <= to).ToDictionary(c => (c.Date, c.Store));
        await using var cmd = db.CreateCommand(Sql("store_day_totals", counted));
        cmd.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.Date });
        var mismatches = new List<string>();
        var seen = 0;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var key = (r.GetFieldValue<DateOnly>(0), r.GetString(1));
                var actual = (Lines: r.GetInt64(2), Units: r.GetInt64(3), Pence: r.GetInt64(4));
                if (!expected.TryGetValue(key, out var e))
                {
                    mismatches.Add($"{key.Item1:yyyy-MM-dd} {key.Item2}: not in the manifest");
                    continue;
                }
                seen++;
                if (e.Lines != actual.Lines || e.Units != actual.Units || e.RevenuePence != actual.Pence)
                {
                    mismatches.Add($"{key.Item1:yyyy-MM-dd} {key.Item2}: {actual.Lines} lines/{actual.Units} "
                        + $"units/{Money.Format(actual.Pence)} vs {e.Lines}/{e.Units}/{Money.Format(e.RevenuePence)}");
                }
            }
        }
        if (seen < expected.Count)
        {
            mismatches.Add($"{expected.Count - seen} store-days of the manifest missing from the warehouse");
        }
        var revenue = expected.Values.Sum(c => c.RevenuePence);
        return new CheckResult("manifest_reconciliation", mismatches.Count == 0,
            mismatches.Count == 0 ? $"{expected.Count} store-days match, {Money.Format(revenue)}" : string.Join("; ", mismatches.Take(3)),
            "facts = the given manifest's control totals per store per day");
    }

    /// <summary>
    /// Every batch in the period against the control totals recorded with it when it was loaded: lines, units and
    /// revenue per store per day, to the penny. Independent of the working directory and of the staging files.
    /// </summary>
    private async Task<CheckResult> ReconcileBatchesAsync(DateOnly from, DateOnly to, string counted, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(Reconciliation.Sql(counted));
        cmd.Parameters.Add(new NpgsqlParameter { Value = from, NpgsqlDbType = NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to, NpgsqlDbType = NpgsqlDbType.Date });
        var mismatches = new List<ReconciliationMismatch>();
        var summary = new ReconciliationSummary(0, 0, 0, 0);
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                if (r.GetString(0) == "summary")
                {
                    summary = new ReconciliationSummary(r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9));
                    continue;
                }
                long? Value(int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
                mismatches.Add(new ReconciliationMismatch(r.GetInt64(9), r.GetFieldValue<DateOnly>(1), r.GetString(2),
                    Value(3), Value(4), Value(5), Value(6), Value(7), Value(8)));
            }
        }
        return BatchReconciliation.Verdict(mismatches, summary);
    }

    private async Task StoreAsync(IReadOnlyList<CheckResult> results, int? runId, DateOnly? date, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var batch = db.CreateBatch();
        foreach (var r in results)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(StoreResultSql)
            {
                Parameters =
                {
                    new() { Value = now }, new() { Value = (object?)runId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer },
                    new() { Value = (object?)date ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date }, new() { Value = r.Name },
                    new() { Value = r.Passed }, new() { Value = r.Observed }, new() { Value = r.Expected },
                    new() { Value = r.Status.ToLowerInvariant() },
                },
            });
        }
        await batch.ExecuteNonQueryAsync(ct);
    }
}
