using System.Globalization;
using System.Text;
using Npgsql;

namespace Retail.Data.Operations;

public enum StatusLevel
{
    Ok,
    Empty,
    Stale,
    Failing,
    Down,
}

/// <summary>What an operator asks of the warehouse: the last run, the last load, failing checks and how fresh the data is.</summary>
public sealed record WarehouseStatus
{
    public int? LastRunId { get; init; }
    public DateOnly? LastRunDate { get; init; }
    public string? LastRunStatus { get; init; }
    public DateTimeOffset? LastRunFinished { get; init; }
    public DateTimeOffset? LastLoad { get; init; }
    public long Batches { get; init; }
    public long Rows { get; init; }
    public DateOnly? DataThrough { get; init; }
    public IReadOnlyList<string> FailingChecks { get; init; } = [];
    public long FailedLoads { get; init; }

    /// <summary>Failing beats stale beats empty: what needs a person first.</summary>
    public StatusLevel Level(DateOnly today, int maxAgeDays) =>
        FailingChecks.Count > 0 || LastRunStatus == "failed" || FailedLoads > 0 ? StatusLevel.Failing
        : Batches == 0 ? StatusLevel.Empty
        : AgeDays(today) > maxAgeDays ? StatusLevel.Stale
        : StatusLevel.Ok;

    public int? AgeDays(DateOnly today) => DataThrough is { } d ? today.DayNumber - d.DayNumber : null;

    /// <summary>One logfmt line (key=value, no spaces inside values) for scripts, logs and people alike.</summary>
    public string ToLine(DateOnly today, int maxAgeDays)
    {
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"status={Level(today, maxAgeDays).ToString().ToLowerInvariant()}");
        s.Append(LastRunId is null ? " last_run=none" : string.Create(CultureInfo.InvariantCulture,
            $" last_run={LastRunDate:yyyy-MM-dd} last_run_status={LastRunStatus} "
                + $"last_run_id={LastRunId}{(LastRunFinished is { } f ? $" last_run_finished={Stamp(f)}" : "")}"));
        s.Append(LastLoad is { } l ? $" last_load={Stamp(l)}" : " last_load=none");
        s.Append(CultureInfo.InvariantCulture, $" batches={Batches} rows={Rows} failed_loads={FailedLoads}");
        s.Append(CultureInfo.InvariantCulture, $" failing_checks={(FailingChecks.Count == 0 ? "none" : string.Join(',', FailingChecks))}");
        s.Append(DataThrough is { } d ? string.Create(CultureInfo.InvariantCulture,
            $" data_through={d:yyyy-MM-dd} age_days={AgeDays(today)}") : " data_through=none");
        return s.ToString();
    }

    private static string Stamp(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);

    private static readonly string Sql = ReadSql();

    private static string ReadSql()
    {
        using var s = typeof(WarehouseStatus).Assembly.GetManifestResourceStream("operations/status.sql")!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    /// <summary>Reads the status; a database the schema was never applied to reads as empty.</summary>
    public static async Task<WarehouseStatus> ReadAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using (var exists = db.CreateCommand("SELECT to_regclass('ops.check_results') IS NOT NULL AND "
            + "to_regclass('ops.pipeline_runs') IS NOT NULL AND to_regclass('ops.load_batches') IS NOT NULL"))
        {
            if (await exists.ExecuteScalarAsync(ct) is not true)
            {
                return new WarehouseStatus();
            }
        }
        await using var cmd = db.CreateCommand(Sql);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var status = new WarehouseStatus();
        if (await r.ReadAsync(ct))
        {
            status = status with
            {
                LastRunId = r.GetInt32(0),
                LastRunDate = r.GetFieldValue<DateOnly>(1),
                LastRunStatus = r.GetString(2),
                LastRunFinished = r.IsDBNull(4) ? null : r.GetFieldValue<DateTimeOffset>(4),
            };
        }
        await r.NextResultAsync(ct);
        await r.ReadAsync(ct);
        status = status with
        {
            LastLoad = r.IsDBNull(0) ? null : r.GetFieldValue<DateTimeOffset>(0),
            Batches = r.GetInt64(1),
            Rows = r.GetInt64(2),
            DataThrough = r.IsDBNull(3) ? null : r.GetFieldValue<DateOnly>(3),
        };
        await r.NextResultAsync(ct);
        var failing = new List<string>();
        while (await r.ReadAsync(ct))
        {
            failing.Add(r.GetString(0));
        }
        await r.NextResultAsync(ct);
        await r.ReadAsync(ct);
        return status with { FailingChecks = failing, FailedLoads = r.GetInt64(0) };
    }
}
