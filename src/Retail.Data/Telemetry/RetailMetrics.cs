using System.Diagnostics.Metrics;
using Retail.Data.Loading;

namespace Retail.Data.Telemetry;

/// <summary>
/// The product's metrics, as OpenTelemetry instruments on the Meter "Retail" (exported by 'retail dashboard' and
/// 'retail schedule --metrics-port' as a Prometheus scrape endpoint). Call sites that already hold the numbers
/// (load reports, run results, check results, dashboard queries) record them here; nothing is counted twice.
/// </summary>
public sealed class RetailMetrics : IDisposable
{
    public const string MeterName = "Retail";

    private readonly Meter _meter;
    private readonly Counter<long> _rowsGenerated;
    private readonly Counter<long> _rowsLoaded;
    private readonly Counter<long> _rowsRejected;
    private readonly Counter<long> _files;
    private readonly Histogram<double> _loadDuration;
    private readonly Counter<long> _runs;
    private readonly Histogram<double> _runDuration;
    private readonly Counter<long> _checks;
    private readonly Histogram<double> _queryDuration;

    /// <summary>With a factory (dependency injection) the meter is owned by it; without, by this instance.</summary>
    public RetailMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _rowsGenerated = _meter.CreateCounter<long>("retail.rows.generated", "{row}", "CSV rows generated");
        _rowsLoaded = _meter.CreateCounter<long>("retail.rows.loaded", "{row}", "rows loaded into the warehouse");
        _rowsRejected = _meter.CreateCounter<long>("retail.rows.rejected", "{row}", "rows quarantined in ops.rejected_rows");
        _files = _meter.CreateCounter<long>("retail.files", "{file}", "staging files by load outcome (loaded, skipped, failed)");
        _loadDuration = _meter.CreateHistogram<double>("retail.load.duration", "s", "wall time of a load (all its files)");
        _runs = _meter.CreateCounter<long>("retail.runs", "{run}", "pipeline runs of a day by outcome (succeeded, already_done, failed)");
        _runDuration = _meter.CreateHistogram<double>("retail.run.duration", "s", "wall time of a day's pipeline run");
        _checks = _meter.CreateCounter<long>("retail.checks", "{check}", "data-quality check results by check and outcome (pass, fail)");
        _queryDuration = _meter.CreateHistogram<double>("retail.dashboard.query.duration", "s",
            "time to compute every widget's data for one filter");
    }

    public void RecordGenerated(long rows) => _rowsGenerated.Add(rows);

    public void RecordLoad(LoadReport report)
    {
        _rowsLoaded.Add(report.RowsLoaded);
        _rowsRejected.Add(report.RowsRejected);
        foreach (var outcome in new[] { FileOutcome.Loaded, FileOutcome.Skipped, FileOutcome.Failed })
        {
            _files.Add(report.Files.Count(f => f.Outcome == outcome), new KeyValuePair<string,
                object?>("outcome", outcome.ToString().ToLowerInvariant()));
        }
        _loadDuration.Record(report.Elapsed.TotalSeconds);
    }

    /// <summary>outcome: succeeded, already_done or failed.</summary>
    public void RecordRun(string outcome, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("outcome", outcome);
        _runs.Add(1, tag);
        _runDuration.Record(elapsed.TotalSeconds, tag);
    }

    public void RecordChecks(IEnumerable<(string Name, bool Passed)> results)
    {
        foreach (var (name, passed) in results)
        {
            _checks.Add(1, new KeyValuePair<string, object?>("check", name), new KeyValuePair<string,
                object?>("outcome", passed ? "pass" : "fail"));
        }
    }

    public void RecordDashboardQuery(TimeSpan elapsed) => _queryDuration.Record(elapsed.TotalSeconds);

    public void Dispose() => _meter.Dispose();
}
