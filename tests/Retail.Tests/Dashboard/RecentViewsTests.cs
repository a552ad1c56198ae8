using Microsoft.Extensions.Time.Testing;
using Retail.Dashboard.State;
using Retail.Data.Queries;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// A visit's server render and its circuit's first render load the same view: the second takes the first's figures
/// instead of running every widget's SQL again. Filter changes always ask the warehouse, a new batch is a new key, and
/// an entry does not outlive its age.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RecentViewsTests(PostgresFixture pg) : IAsyncLifetime
{
    private static readonly ViewQuery November = ViewQuery.Parse("http://dashboard/?preset=custom&from=2025-11-01&to=2025-11-30");
    private static readonly ViewQuery December = ViewQuery.Parse("http://dashboard/?preset=custom&from=2025-12-01&to=2025-12-31");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 2, 9, 0, 0, TimeSpan.Zero));
    private SalesQueries _q = null!;

    public async Task InitializeAsync() => (_, _q, _) = await QueriesWarehouse.OpenAsync(pg);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_page_load_takes_a_recent_page_loads_figures_and_a_filter_change_asks_the_warehouse()
    {
        using var recent = new RecentViews(_clock);
        var shared = new SharedView(_q, _clock);
        DashboardState Visit() => new(shared, recent, _clock);
        var ct = CancellationToken.None;

        var server = Visit();
        var circuit = Visit();
        Assert.True(await server.LoadAsync(November, ct, pageLoad: true));
        Assert.True(await circuit.LoadAsync(November, ct, pageLoad: true));
        Assert.NotNull(server.Data);
        Assert.Same(server.Data, circuit.Data);

        // Another visitor's page load has December; the circuit's filter change to it still runs the queries.
        var other = Visit();
        await other.LoadAsync(December, ct, pageLoad: true);
        await circuit.LoadAsync(December, ct);
        Assert.NotSame(other.Data, circuit.Data);
        Assert.Equal(other.Data!.Kpis, circuit.Data!.Kpis);

        // Past its age an entry is gone: the next page load asks again, and gets the same figures.
        _clock.Advance(RecentViews.MaxAge + TimeSpan.FromSeconds(1));
        var later = Visit();
        await later.LoadAsync(November, ct, pageLoad: true);
        Assert.NotSame(server.Data, later.Data);
        Assert.Equal(server.Data!.Kpis, later.Data!.Kpis);
        Assert.Equal(server.Data.TopProducts, later.Data.TopProducts);
    }

    [Fact]
    public void The_key_changes_with_the_view_its_dates_and_the_newest_batch_but_not_the_open_cell()
    {
        var filter = new SalesFilter(new DateOnly(2025, 11, 1), new DateOnly(2025, 11, 30), [], []);
        var batch7 = new Freshness(null, 7, 100, 7, null, null, []);
        var key = DashboardState.DataKey(November, filter, batch7);

        Assert.NotEqual(key, DashboardState.DataKey(November, filter, batch7 with { LastBatchId = 8 }));
        Assert.NotEqual(key, DashboardState.DataKey(November, filter with { To = new DateOnly(2025, 11, 29) }, batch7));
        Assert.NotEqual(key, DashboardState.DataKey(November with { Top = TopBy.Units }, filter, batch7));
        Assert.Equal(key, DashboardState.DataKey(November with { Cell = new HeatCellKey(1, 12) }, filter, batch7));
    }
}
