using System.Globalization;
using Npgsql;
using Retail.Dashboard;
using Retail.Data.Configuration;
using Retail.Data.Queries;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Citus;

/// <summary>
/// The dashboard on the cluster, as its own read-only login: the same numbers as SQL on the facts and as one node
/// loaded with the same files, and no write anywhere, on the coordinator or on a worker.
/// </summary>
[Collection(CitusCollection.Name)]
public sealed class CitusDashboardTests(CitusFixture citus, PostgresFixture pg) : IAsyncLifetime
{
    private static readonly DateOnly From = new(2025, 11, 3);
    private static readonly DateOnly To = new(2025, 12, 7);
    private LoadedWarehouse _cluster = null!;
    private LoadedWarehouse _single = null!;

    public async Task InitializeAsync()
    {
        if (CitusAvailability.SkipReason is not null)
        {
            return;
        }
        // Same seed, rows and dates: the same files, loaded once on the cluster and once on one node.
        _cluster = await LoadedWarehouse.LoadAsync(citus.Endpoint(await citus.CreateDatabaseAsync("cdash")), 30_000, From, To);
        _single = await LoadedWarehouse.LoadAsync(pg.Endpoint(await pg.CreateDatabaseAsync("sdash")), 30_000, From, To);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static SalesFilter Filter(FilterOptions o, string from, string to, string[] stores, string[] categories) => new(
        DateOnly.Parse(from, CultureInfo.InvariantCulture), DateOnly.Parse(to, CultureInfo.InvariantCulture),
        o.Stores.Where(s => stores.Contains(s.Code)).Select(s => s.Key).ToArray(),
        o.Categories.Where(c => categories.Contains(c.Code)).Select(c => c.Key).ToArray());

    [CitusFact]
    public async Task Every_widget_equals_sql_on_the_facts_and_the_single_node_numbers()
    {
        await using var clusterRo = DashboardApp.ReadOnlyDataSource(citus.Endpoint(_cluster.Settings));
        await using var singleRo = DashboardApp.ReadOnlyDataSource(pg.Endpoint(_single.Settings));
        Assert.Equal(DatabaseSettings.DefaultDashboardUser, await clusterRo.ScalarAsync<string>("SELECT current_user"));
        var onCluster = new SalesQueries(clusterRo);
        var onOne = new SalesQueries(singleRo);
        var options = await onCluster.GetFilterOptionsAsync(CancellationToken.None);
        var singleOptions = await onOne.GetFilterOptionsAsync(CancellationToken.None);
        Assert.Equal(singleOptions.Stores, options.Stores);
        Assert.Equal(singleOptions.Categories, options.Categories);
        Assert.Equal((singleOptions.FirstDate, singleOptions.LastDate), (options.FirstDate, options.LastDate));
        var fineOnly = new SalesQueries(clusterRo) { UseMonthRollups = false };

        foreach (var (from, to, stores, categories) in new (string, string, string[], string[])[]
        {
            ("2025-11-03", "2025-12-07", [], []),
            ("2025-11-10", "2025-11-30", ["HEN", "BAR"], []),
            ("2025-11-17", "2025-12-07", [], ["Toys", "Technology"]),
            ("2025-12-01", "2025-12-01", ["MLH"], ["Home & Garden"]),
        })
        {
            var f = Filter(options, from, to, stores, categories);
            var expected = await _cluster.KpisFromFactsAsync(f.From, f.To, stores, categories);
            var k = await onCluster.GetKpisForAsync(f, CancellationToken.None);
            Assert.Equal(expected with { Customers = 0 }, (k.RevenuePence, k.Transactions, k.Units, k.Lines, 0L));
            Assert.InRange(k.UniqueCustomers, expected.Customers * (1 - Kpis.UniqueCustomersErrorBound),
                expected.Customers * (1 + Kpis.UniqueCustomersErrorBound));
            Assert.Equal(expected, await _single.KpisFromFactsAsync(f.From, f.To, stores, categories));

            foreach (var top in new[] { TopBy.Revenue, TopBy.Units })
            {
                var cluster = await onCluster.GetDashboardAsync(f, top, compareLastYear: true, CancellationToken.None);
                var single = await onOne.GetDashboardAsync(f, top, compareLastYear: true, CancellationToken.None);
                var mem = await fineOnly.GetDashboardAsync(f, top, compareLastYear: true, CancellationToken.None);
                // The fine-only reader unions day sketches where the layered one unions month sketches: unique
                // customers agree within the estimate's bound, every other figure exactly.
                Assert.InRange(cluster.Kpis.Current.UniqueCustomers,
                    mem.Kpis.Current.UniqueCustomers * (1 - Kpis.UniqueCustomersErrorBound),
                    mem.Kpis.Current.UniqueCustomers * (1 + Kpis.UniqueCustomersErrorBound));
                foreach (var other in new[] { single, mem })
                {
                    Assert.Equal(ExactPart(other.Kpis), ExactPart(cluster.Kpis));
                    Assert.Equal(other.Daily, cluster.Daily);
                    Assert.Equal(other.ByStore, cluster.ByStore);
                    Assert.Equal(other.ByCategory, cluster.ByCategory);
                    Assert.Equal(other.TopProducts, cluster.TopProducts);
                    Assert.Equal(other.Heatmap, cluster.Heatmap);
                }
                if (categories.Length == 0)
                {
                    Assert.Equal(await _cluster.TopFromFactsAsync(f.From, f.To, stores, top == TopBy.Units),
                        cluster.TopProducts.Select(t => (t.Sku, t.Units, t.RevenuePence)).ToList());
                }
            }
        }
    }

    private static KpiComparison ExactPart(KpiComparison k) =>
        new(k.Current with { UniqueCustomers = 0 }, k.Previous with { UniqueCustomers = 0 },
            k.LastYear is null ? null : k.LastYear with { UniqueCustomers = 0 });

    [CitusFact]
    public async Task A_real_dashboard_serves_the_cluster_as_its_login_and_its_export_matches_the_facts()
    {
        using var dir = new TempDir();
        await using var dashboard = await DashboardProcess.StartAsync(_cluster.Settings, dir.Path);
        using var http = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"{dashboard.Url}/health")).StatusCode);
        var csv = await http.GetStringAsync($"{dashboard.Url}/export/daily.csv?preset=all");
        var revenue = csv.Split('\n',
            StringSplitOptions.RemoveEmptyEntries).Skip(1).Sum(l => decimal.Parse(l.Split(',')[1], CultureInfo.InvariantCulture));
        Assert.Equal(await _cluster.Db.ScalarAsync<long>("SELECT sum(line_total_pence)::bigint FROM marts.fct_sales"),
            (long)(revenue * 100));
        // Its queries reached the workers as the dashboard's login, not as the admin.
        Assert.True(await _cluster.Db.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE usename = 'retail_dashboard' AND "
            + "application_name = 'retail dashboard'") > 0);
    }

    [CitusFact]
    public async Task The_dashboard_login_cannot_write_on_the_coordinator_nor_on_any_worker()
    {
        await using var ro = DashboardApp.ReadOnlyDataSource(citus.Endpoint(_cluster.Settings));
        await DashboardRoleAssert.AssertCannotWriteAsync(ro, rounds: 5);

        // Each shard table of a rollup and of a reference table, on the worker that holds it.
        var shards = new List<(string Name, int Port)>();
        await using (var cmd = _cluster.Db.CreateCommand("SELECT shard_name, nodeport FROM citus_shards WHERE table_name IN "
            + "('marts.agg_sales_hourly'::regclass, 'marts.dim_store'::regclass) AND nodeport <> $1"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = citus.Port });
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                shards.Add((r.GetString(0), r.GetInt32(1)));
            }
        }
        Assert.Equal(citus.WorkerPorts.Order(), shards.Select(s => s.Port).Distinct().Order());
        foreach (var port in citus.WorkerPorts)
        {
            await using var worker = NpgsqlDataSource.Create(CitusFixture.WorkerConnectionString(_cluster.Settings, port,
                DatabaseSettings.DefaultDashboardUser));
            // The distributed tables through the worker's own copy of the metadata, then its shard tables themselves.
            await DashboardRoleAssert.AssertCannotWriteAsync(worker, rounds: 1, coordinator: false);
            foreach (var (shard, _) in shards.Where(s => s.Port == port))
            {
                foreach (var sql in new[] { $"DELETE FROM {shard}", $"UPDATE {shard} SET store_key = store_key",
                    $"INSERT INTO {shard} SELECT * FROM {shard} LIMIT 1" })
                {
                    await using var cmd = worker.CreateCommand(sql);
                    var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
                    Assert.True(e.SqlState == PostgresErrorCodes.InsufficientPrivilege,
                        $"{sql} on worker {port}: {e.SqlState} {e.MessageText}");
                }
            }
        }
    }
}
