using Npgsql;
using Retail.Data.Queries;

namespace Retail.Dashboard.State;

/// <summary>
/// One browser circuit's view: the URL's filter, the data for it, freshness and the database's health.
/// Components render from here; only this class talks to the query services (SQL for options and freshness,
/// the in-memory cube for the widgets' numbers).
/// </summary>
public sealed class DashboardState(SalesQueries queries, SalesCube cube, TimeProvider clock)
{
    public ViewQuery Query { get; private set; } = ViewQuery.Parse(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>());
    public Retail.Data.Queries.FilterOptions? Options { get; private set; }
    public SalesFilter? Filter { get; private set; }
    public DashboardData? Data { get; private set; }
    public Freshness? Freshness { get; private set; }
    public string? DatabaseError { get; private set; }
    public bool IsEmpty => Freshness is { Batches: 0 };

    /// <summary>Loads everything for the URL's view. Database failures become a banner, never an exception page.</summary>
    public async Task LoadAsync(ViewQuery query, CancellationToken ct)
    {
        Query = query;
        try
        {
            Freshness = await queries.GetFreshnessAsync(ct);
            Options = await queries.GetFilterOptionsAsync(ct);
            Filter = query.ToFilter(Options, DateOnly.FromDateTime(clock.GetLocalNow().Date));
            if (!IsEmpty)
            {
                await cube.EnsureCurrentAsync(ct);
                Data = cube.Query(Filter, query.Top, compareLastYear: Options.FirstDate <= Filter.LastYear.From);
            }
            DatabaseError = null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException { InnerException: NpgsqlException })
        {
            DatabaseError = "The warehouse database is not answering. The page will recover by itself when it is back.";
        }
    }

    /// <summary>True when a new batch was published (or the database came back) since the last load.</summary>
    public async Task<bool> HasNewDataAsync(CancellationToken ct)
    {
        try
        {
            var fresh = await queries.GetFreshnessAsync(ct);
            var changed = DatabaseError is not null || fresh.LastBatchId != Freshness?.LastBatchId || fresh.LastRunStatus != Freshness?.LastRunStatus
                || !fresh.FailingChecks.SequenceEqual(Freshness?.FailingChecks ?? []);
            Freshness = fresh;
            return changed;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            var wasHealthy = DatabaseError is null;
            DatabaseError = "The warehouse database is not answering. The page will recover by itself when it is back.";
            return wasHealthy;
        }
    }
}
