namespace Retail.Data.Loading;

/// <summary>
/// Where a load's time went, phase by phase. Whole-load phases are wall time; per-file phases are summed over the
/// files loaded side by side (busy time across connections), so they can add up to more than the wall time.
/// Thread-safe: parallel file loaders add to it at once.
/// </summary>
public sealed class LoadTimings(TimeProvider clock)
{
    /// <summary>Phases in the order a load runs them.</summary>
    public static readonly IReadOnlyList<LoadPhase> Order =
    [
        LoadPhase.Setup, LoadPhase.Identify, LoadPhase.DimensionPass, LoadPhase.Files,
        LoadPhase.ParseValidateCopy, LoadPhase.NewMembers, LoadPhase.Rollups, LoadPhase.Commit, LoadPhase.FirstPurchases,
        LoadPhase.DurableBarrier, LoadPhase.PeriodRollups, LoadPhase.Statistics,
    ];

    private readonly long[] _ticks = new long[Enum.GetValues<LoadPhase>().Length];
    private readonly TimeProvider _clock = clock;

    /// <summary>Starts timing a phase; disposing the result adds the elapsed time to it.</summary>
    public Scope Measure(LoadPhase phase) => new(this, phase, _clock.GetTimestamp());

    public TimeSpan this[LoadPhase phase] =>
        TimeSpan.FromSeconds(Interlocked.Read(ref _ticks[(int)phase]) / (double)_clock.TimestampFrequency);

    /// <summary>True for phases summed over files loaded in parallel rather than measured once on the wall clock.</summary>
    public static bool IsPerFile(LoadPhase phase) =>
        phase is LoadPhase.ParseValidateCopy or LoadPhase.NewMembers or LoadPhase.Rollups or LoadPhase.Commit
            or LoadPhase.FirstPurchases;

    public static string Describe(LoadPhase phase) => phase switch
    {
        LoadPhase.Setup => "schema check, key cache, partitions",
        LoadPhase.Identify => "file checks and SHA-256, skip files loaded before",
        LoadPhase.DimensionPass => "dimension pass: new stores/products/customers, partitions",
        LoadPhase.Files => "files (wall): the four rows below, in parallel",
        LoadPhase.ParseValidateCopy => "read, parse, validate, binary COPY of facts",
        LoadPhase.NewMembers => "dimension members first seen in the file",
        LoadPhase.Rollups => "rollups written",
        LoadPhase.Commit => "ledger, quarantine and commit",
        LoadPhase.FirstPurchases => "new customers: first purchases kept (lock wait included)",
        LoadPhase.DurableBarrier => "durable commit barrier",
        LoadPhase.PeriodRollups => "month and week rollups rebuilt for the periods touched",
        LoadPhase.Statistics => "ANALYZE of what changed",
        _ => phase.ToString(),
    };

    public readonly struct Scope(LoadTimings owner, LoadPhase phase, long started) : IDisposable
    {
        public void Dispose() => Interlocked.Add(ref owner._ticks[(int)phase], owner._clock.GetTimestamp() - started);
    }
}

public enum LoadPhase
{
    Setup,
    Identify,
    DimensionPass,
    Files,
    ParseValidateCopy,
    NewMembers,
    Rollups,
    Commit,
    FirstPurchases,
    DurableBarrier,
    PeriodRollups,
    Statistics,
}
