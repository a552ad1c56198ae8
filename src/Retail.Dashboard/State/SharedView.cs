using Npgsql;
using Retail.Data.Queries;

namespace Retail.Dashboard.State;

/// <summary>What every visitor's view starts from: freshness and filter options.</summary>
public sealed record SharedViewEntry(Freshness? Freshness, FilterOptions? Options, DateTimeOffset At, string? DatabaseError);

/// <summary>
/// Freshness and filter options, shared by every page request and circuit and refreshed by one caller at a time, at
/// most once per <see cref="MaxAge"/>. Once filled, a reader never waits for them: it gets the last entry and, if that
/// is older than MaxAge, starts the next refresh in the background (stale-while-revalidate). The widgets' numbers
/// come from SQL over the layered rollups (<see cref="Queries"/>), so nothing is filled before the first page: the
/// first fill is two small queries. A page that shows an older entry is reloaded by its watcher once a newer one arrives.
/// </summary>
public sealed class SharedView(SalesQueries queries, TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);
    internal const string Unavailable = "The warehouse database is not answering. The page will recover by itself when it is back.";

    private readonly Lock _gate = new();
    private SharedViewEntry? _current;
    private Task? _refreshing;

    /// <summary>The widgets' data, aggregated in SQL.</summary>
    public SalesQueries Queries => queries;

    public async Task<SharedViewEntry> GetAsync(CancellationToken ct)
    {
        var entry = Volatile.Read(ref _current);
        if (entry is null || entry.Freshness is null)
        {
            // The first fill (or after a first fill that failed): there is nothing to show yet, so wait for it.
            await Refresh().WaitAsync(ct);
            return Volatile.Read(ref _current)!;
        }
        if (clock.GetUtcNow() - entry.At >= MaxAge)
        {
            _ = Refresh();
        }
        return entry;
    }

    /// <summary>The refresh in flight, or a new one; never two at once.</summary>
    private Task Refresh()
    {
        lock (_gate)
        {
            if (_refreshing is { IsCompleted: false } running)
            {
                return running;
            }
            _refreshing = RefreshAsync();
            return _refreshing;
        }
    }

    private async Task RefreshAsync()
    {
        // Not tied to one visitor's request: a refresh finishes even when the page that started it went away.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var freshness = await queries.GetFreshnessAsync(timeout.Token);
            var options = await queries.GetFilterOptionsAsync(timeout.Token);
            Volatile.Write(ref _current, new SharedViewEntry(freshness, options, clock.GetUtcNow(), null));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException
            or System.Net.Sockets.SocketException or InvalidOperationException { InnerException: NpgsqlException })
        {
            // Keep what was shown, flagged; a first fill that fails leaves an entry with no data, and the next reader retries.
            var old = Volatile.Read(ref _current);
            Volatile.Write(ref _current, old is null
                ? new SharedViewEntry(null, null, clock.GetUtcNow(), Unavailable)
                : old with { At = clock.GetUtcNow(), DatabaseError = Unavailable });
        }
    }
}
