using Microsoft.Extensions.Logging;

namespace Retail.Pipeline.Runs;

/// <summary>The pipeline's and the scheduler's log events (source-generated). Dates, ids, counts and step errors only.</summary>
internal static partial class RunLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "run {RunId} for {Date:yyyy-MM-dd} started")]
    public static partial void RunStarted(this ILogger log, int runId, DateOnly date);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information,
        Message = "run {RunId} for {Date:yyyy-MM-dd} succeeded: {Rows} rows loaded and published")]
    public static partial void RunSucceeded(this ILogger log, int runId, DateOnly date, long rows);

    [LoggerMessage(EventId = 202, Level = LogLevel.Error, Message = "run {RunId} for {Date:yyyy-MM-dd} failed: {Error}")]
    public static partial void RunFailed(this ILogger log, int runId, DateOnly date, string error);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "{Date:yyyy-MM-dd} already succeeded in run {RunId}: skipped")]
    public static partial void AlreadyDone(this ILogger log, DateOnly date, int runId);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information,
        Message = "step {Step} of run {RunId} succeeded after {Attempts} attempt(s)")]
    public static partial void StepSucceeded(this ILogger log, string step, int runId, int attempts);

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "catching up {Days} day(s) from {From:yyyy-MM-dd}")]
    public static partial void CatchingUp(this ILogger log, int days, DateOnly from);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "next run at {Next:O} for {Date:yyyy-MM-dd}")]
    public static partial void NextRun(this ILogger log, DateTimeOffset next, DateOnly date);
}
