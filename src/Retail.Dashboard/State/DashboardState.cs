using Npgsql;
using Retail.Data.Queries;

namespace Retail.Dashboard.State;

/// <summary>
/// One browser circuit's view: the URL's filter, the data for it, freshness and the database's health.
/// Components render from here; only this class talks to the query services, through the <see cref="SharedView"/>
/// every visitor shares (freshness and options), and the widgets' numbers from SQL over the layered rollups.
/// </summary>
public sealed class DashboardState(SharedView view, RecentViews recent, TimeProvider clock)
{
    public ViewQuery Query { get; private set; } = ViewQuery.Parse(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>());
    public Retail.Data.Queries.FilterOptions? Options { get; private set; }
    public SalesFilter? Filter { get; private set; }
    public DashboardData? Data { get; private set; }
    public Freshness? Freshness { get; private set; }
    public string? DatabaseError { get; private set; }
    public bool IsEmpty => Freshness is { Batches: 0 };

    /// <summary>How long the last load took (the page shows it as data-load-ms, for the browser benchmark's split).</summary>
    public TimeSpan LastLoad { get; private set; }

    /// <summary>The open heatmap cell's drill-down (the URL's cell), or null.</summary>
    public HeatCellDetail? Cell { get; private set; }

    // What Data was loaded for: the view without its open cell, its dates and the newest batch. Opening or closing a cell
    // changes only the cell, so the widgets keep their data rather than asking the database again.
    private string? _dataKey;

    // Which load is the latest: a click starts one at once, and a slower earlier one must not overwrite its view.
    private int _generation;

    /// <summary>
    /// Loads everything for the URL's view; false when a later load started meanwhile (its result is the one kept).
    /// Database failures become a banner, never an exception page. A page load (the server's render or its circuit's
    /// first) takes the figures of a recent page load of the same view and batch (<see cref="RecentViews"/>); a filter
    /// change always asks the warehouse.
    /// </summary>
    public async Task<bool> LoadAsync(ViewQuery query, CancellationToken ct, bool pageLoad = false)
    {
        var generation = ++_generation;
        var started = clock.GetTimestamp();
        var entry = await view.GetAsync(ct);
        if (generation != _generation)
        {
            return false;
        }
        Query = query;
        DatabaseError = entry.DatabaseError;
        if (entry.Freshness is not null && entry.Options is not null)
        {
            Freshness = entry.Freshness;
            Options = entry.Options;
            // The filter changes with its figures, in one render. Set before the data arrived, it put the old figures under
            // the new dates for a render (and the "n/a" and previous-period flags of the new dates on them).
            var filter = query.ToFilter(Options, DateOnly.FromDateTime(clock.GetLocalNow().Date));
            if (IsEmpty)
            {
                Filter = filter;
            }
            else if (!await LoadDataAsync(query, filter, Options, Freshness, generation, pageLoad, ct))
            {
                return false;
            }
        }
        LastLoad = clock.GetElapsedTime(started);
        return true;
    }

    private async Task<bool> LoadDataAsync(ViewQuery query, SalesFilter filter, FilterOptions options, Freshness freshness, int generation,
        bool pageLoad, CancellationToken ct)
    {
        try
        {
            var key = DataKey(query, filter, freshness);
            var known = key == _dataKey && Data is not null ? Data : pageLoad ? recent.Find(key) : null;
            var data = known is not null
                ? Task.FromResult(known)
                : view.Queries.GetDashboardAsync(filter, query.Top, compareLastYear: options.FirstDate <= filter.LastYear.From, ct);
            var cell = query.Cell is { } c ? CellAsync(filter, c, ct) : Task.FromResult<HeatCellDetail?>(null);
            await Task.WhenAll(data, cell);
            if (generation != _generation)
            {
                return false;
            }
            (Data, Cell, _dataKey, Filter) = (await data, await cell, key, filter);
            if (pageLoad && known is null)
            {
                recent.Keep(key, Data);
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException
            or InvalidOperationException { InnerException: NpgsqlException })
        {
            if (generation != _generation)
            {
                return false;
            }
            // Keep what was shown (and the filter it is for), under the banner; the watcher reloads once the database answers.
            _dataKey = null;
            Filter ??= filter;
            DatabaseError = SharedView.Unavailable;
        }
        return true;
    }

    /// <summary>What a view's figures depend on: the view without its open cell, its dates and the newest published batch.</summary>
    internal static string DataKey(ViewQuery query, SalesFilter filter, Freshness freshness) =>
        $"{(query with { Cell = null }).ToQueryString()}|{filter.From}|{filter.To}|{freshness.LastBatchId}";

    private async Task<HeatCellDetail?> CellAsync(SalesFilter filter, HeatCellKey cell, CancellationToken ct) =>
        await view.Queries.GetHeatCellAsync(filter, cell.IsoDayOfWeek, cell.Hour, ct);

    /// <summary>True when a new batch was published (or the database went away or came back) since the last load.</summary>
    public async Task<bool> HasNewDataAsync(CancellationToken ct)
    {
        var entry = await view.GetAsync(ct);
        if (entry.DatabaseError is not null || entry.Freshness is not { } fresh)
        {
            var wasHealthy = DatabaseError is null;
            DatabaseError = entry.DatabaseError;
            return wasHealthy;
        }
        var changed = DatabaseError is not null || fresh.LastBatchId != Freshness?.LastBatchId
            || fresh.LastRunStatus != Freshness?.LastRunStatus
            || !fresh.FailingChecks.SequenceEqual(Freshness?.FailingChecks ?? []);
        Freshness = fresh;
        return changed;
    }
}
