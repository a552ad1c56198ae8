using Retail.Data.Queries;

namespace Retail.Tests.Infrastructure;

/// <summary>
/// The shared warehouse the dashboard query tests read: 15 months, so last year is loaded. Its shape is said once
/// here, because every class that asks for "queries" must ask for the same one.
/// </summary>
public static class QueriesWarehouse
{
    public static Task<LoadedWarehouse> LoadAsync(PostgresFixture pg) =>
        pg.SharedAsync("queries", 60_000, new DateOnly(2024, 10, 1), new DateOnly(2025, 12, 31));

    /// <summary>The warehouse, read through the dashboard's own read-only connection setup, and its filter options.</summary>
    public static async Task<(LoadedWarehouse Warehouse, SalesQueries Queries, FilterOptions Options)> OpenAsync(PostgresFixture pg)
    {
        var w = await LoadAsync(pg);
        var q = new SalesQueries(w.ReadOnly.Value);
        return (w, q, await q.GetFilterOptionsAsync(CancellationToken.None));
    }
}
