namespace Retail.Pipeline.Runs;

/// <summary>How daily runs generate and where their staging files go.</summary>
public sealed record PipelineOptions
{
    public long RowsPerDay { get; init; } = 3_000;
    public ulong Seed { get; init; } = Core.Generation.GeneratorOptions.DefaultSeed;
    public string StagingRoot { get; init; } = Path.Combine("data", "runs");
    public bool Force { get; init; }
    public string Trigger { get; init; } = "manual";
    public double MaxRejectRate { get; init; } = 0.01;
    public int MaxAttempts { get; init; } = 4;
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);
}

public enum DayOutcome
{
    Succeeded,
    AlreadyDone,
    Failed,
}

public sealed record DayResult(DateOnly Date, DayOutcome Outcome, int? RunId, long Rows, string? Error,
    IReadOnlyList<Data.Quality.CheckResult> Checks);
