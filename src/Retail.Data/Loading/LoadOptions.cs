namespace Retail.Data.Loading;

/// <summary>How a load behaves. MaxRejectRate is a fraction (0.01 = 1%).</summary>
public sealed record LoadOptions
{
    public double MaxRejectRate { get; init; } = 0.01;
    public bool Force { get; init; }
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>When false, the batch's rollups stay hidden from the dashboard until published (the pipeline's quality gate).</summary>
    public bool Publish { get; init; } = true;
}

public enum FileOutcome
{
    Loaded,
    Skipped,
    Failed,
}

/// <summary>What happened to one file. RowsRead = RowsLoaded + RowsRejected for every loaded batch.</summary>
public sealed record FileLoadResult(string Path, FileOutcome Outcome, int? BatchId, long RowsRead, long RowsLoaded, long RowsRejected,
    string? Error, DateOnly? MinDate = null, DateOnly? MaxDate = null);

public sealed record LoadReport(IReadOnlyList<FileLoadResult> Files, TimeSpan Elapsed)
{
    /// <summary>Something that went wrong after the batches committed (e.g. statistics not refreshed): said, not failed.</summary>
    public string? Warning { get; init; }

    /// <summary>Where the time went, phase by phase (printed by <c>retail load --timings</c>).</summary>
    public LoadTimings? Timings { get; init; }

    /// <summary>Loaded files without a single row: closed days (header-only files), reported as such.</summary>
    public int Empty => Files.Count(f => f.Outcome == FileOutcome.Loaded && f.RowsRead == 0);

    public int Loaded => Files.Count(f => f.Outcome == FileOutcome.Loaded);
    public int Skipped => Files.Count(f => f.Outcome == FileOutcome.Skipped);
    public int Failed => Files.Count(f => f.Outcome == FileOutcome.Failed);
    public long RowsLoaded => Files.Sum(f => f.RowsLoaded);
    public long RowsRejected => Files.Sum(f => f.RowsRejected);
    public bool Succeeded => Failed == 0;
}

/// <summary>Progress per finished file.</summary>
public readonly record struct LoadProgress(int FilesDone, int FilesTotal, long RowsDone);
