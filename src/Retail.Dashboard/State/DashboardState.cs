using Npgsql;
using Retail.Data.Queries;

namespace Retail.Dashboard.State;

/// <summary>
/// One browser circuit's view: the URL's filter, the data for it, freshness and the database's health.
/// Components render from here; only this class talks to the query services, through the <see cref="SharedView"/>
/// every visitor shares (freshness and options), and the widgets' numbers from SQL over the layered rollups.
/// </summary>
public sealed class DashboardState(SharedView view, TimeProvider clock)
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

    /// <summary>Loads everything for the URL's view. Database failures become a banner, never an exception page.</summary>
    public async Task LoadAsync(ViewQuery query, CancellationToken ct)
    {
        Query = query;
        var started = clock.GetTimestamp();
        try
        {
            await LoadViewAsync(query, ct);
        }
        finally
        {
            LastLoad = clock.GetElapsedTime(started);
        }
    }

    private async Task LoadViewAsync(ViewQuery query, CancellationToken ct)
    {
        var entry = await view.GetAsync(ct);
        DatabaseError = entry.DatabaseError;
        if (entry.Freshness is null || entry.Options is null)
        {
            return;
        }
        Freshness = entry.Freshness;
        Options = entry.Options;
        Filter = query.ToFilter(Options, DateOnly.FromDateTime(clock.GetLocalNow().Date));
        if (!IsEmpty)
        {
            try
            {
                var key = $"{(query with { Cell = null }).ToQueryString()}|{Filter.From}|{Filter.To}|{Freshness.LastBatchId}";
                var data = key == _dataKey && Data is not null
                    ? Task.FromResult(Data)
                    : view.Queries.GetDashboardAsync(Filter, query.Top, compareLastYear: Options.FirstDate <= Filter.LastYear.From, ct);
                var cell = query.Cell is { } c ? CellAsync(Filter, c, ct) : Task.FromResult<HeatCellDetail?>(null);
                await Task.WhenAll(data, cell);
                (Data, Cell, _dataKey) = (await data, await cell, key);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException
                or InvalidOperationException { InnerException: NpgsqlException })
            {
                // Keep what was shown, under the banner; the watcher reloads once the database answers again.
                _dataKey = null;
                DatabaseError = SharedView.Unavailable;
            }
        }
    }

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
