using Microsoft.Extensions.Logging;

namespace Retail.Data.Loading;

/// <summary>The loader's log events (source-generated). File names, counts and the loader's own reasons: never settings.</summary>
internal static partial class LoadLog
{
    public static void File(this ILogger log, FileLoadResult r)
    {
        switch (r.Outcome)
        {
            case FileOutcome.Loaded:
                FileLoaded(log, Path.GetFileName(r.Path), r.BatchId ?? 0, r.RowsLoaded, r.RowsRejected);
                break;
            case FileOutcome.Skipped:
                FileSkipped(log, Path.GetFileName(r.Path), r.BatchId ?? 0);
                break;
            default:
                FileFailed(log, Path.GetFileName(r.Path), r.BatchId ?? 0, r.Error ?? "");
                break;
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "loaded {File} as batch {BatchId}: {RowsLoaded} rows, {RowsRejected} rejected")]
    private static partial void FileLoaded(ILogger log, string file, int batchId, long rowsLoaded, long rowsRejected);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "skipped {File}: already loaded as batch {BatchId}")]
    private static partial void FileSkipped(ILogger log, string file, int batchId);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "failed {File} (batch {BatchId}): {Reason}")]
    private static partial void FileFailed(ILogger log, string file, int batchId, string reason);
}
