using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Retail.Pipeline.Runs;
using Cronos;

namespace Retail.Pipeline.Scheduling;

/// <summary>
/// Runs the daily pipeline for "yesterday" at each cron time, after first catching up every day missed since
/// the last successful run (as an orchestrator's catch-up would). Time comes from the injected TimeProvider, so
/// tests drive it without sleeping.
/// </summary>
public sealed class DailyScheduler(
    CronExpression cron,
    TimeZoneInfo zone,
    Func<DateOnly, CancellationToken, Task> runDay,
    Func<CancellationToken, Task<DateOnly?>> lastSucceeded,
    TimeProvider clock,
    int maxCatchUpDays = 366)
{
    public static CronExpression Parse(string expression)
    {
        try
        {
            return CronExpression.Parse(expression);
        }
        catch (CronFormatException e)
        {
            throw new ArgumentException($"--cron '{expression}' is not a cron expression ({e.Message}): use five fields, e.g. \"0 2 * * "
                + $"*\" for 02:00 every day.", e);
        }
    }

    /// <summary>Where catch-up and next-run events are logged; nowhere by default.</summary>
    public ILogger Log { get; init; } = NullLogger.Instance;

    /// <summary>Raised before each wait with the next firing time.</summary>
    public event Action<DateTimeOffset>? Waiting;

    public async Task RunAsync(CancellationToken ct)
    {
        await CatchUpAsync(ct);
        while (!ct.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = cron.GetNextOccurrence(now, zone);
            if (next is null)
            {
                return;
            }
            // The logical date is the day before the firing, in the schedule's zone.
            var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(next.Value, zone).Date).AddDays(-1);
            Log.NextRun(next.Value, date);
            Waiting?.Invoke(next.Value);
            await Task.Delay(next.Value - now, clock, ct);
            await runDay(date, ct);
        }
    }

    private async Task CatchUpAsync(CancellationToken ct)
    {
        var yesterday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).Date).AddDays(-1);
        var last = await lastSucceeded(ct);
        var from = last is { } l ? l.AddDays(1) : yesterday;
        if (from < yesterday.AddDays(-maxCatchUpDays + 1))
        {
            from = yesterday.AddDays(-maxCatchUpDays + 1);
        }
        if (from <= yesterday)
        {
            Log.CatchingUp(yesterday.DayNumber - from.DayNumber + 1, from);
        }
        for (var d = from; d <= yesterday; d = d.AddDays(1))
        {
            await runDay(d, ct);
        }
    }
}
