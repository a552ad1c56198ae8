using Npgsql;
using Retail.Core.Formats;
using Retail.Core.Generation;
using Retail.Data.Configuration;
using Retail.Data.Loading;
using Retail.Data.Warehouse;
using Retail.Pipeline.Staging;

namespace Retail.Tests.Infrastructure;

/// <summary>A test database loaded with generated sales, and SQL helpers that compute answers straight from fct_sales.</summary>
public sealed class LoadedWarehouse
{
    public required DatabaseSettings Settings { get; init; }
    public required NpgsqlDataSource Db { get; init; }
    public required Manifest Manifest { get; init; }

    /// <summary>
    /// The dashboard's own read-only data source on this warehouse, one for every test that reads through it: a pool
    /// per test (up to 30 connections each) left ~100 idle connections on the shared server and ran it out of slots.
    /// </summary>
    public required Lazy<NpgsqlDataSource> ReadOnly { get; init; }

    public static async Task<LoadedWarehouse> CreateAsync(PostgresFixture pg, string prefix, long rows, DateOnly from, DateOnly to)
    {
        var settings = await pg.CreateDatabaseAsync(prefix);
        return await LoadAsync(pg.Endpoint(settings), rows, from, to);
    }

    /// <summary>Generates and loads into any warehouse (one node or a Citus coordinator), after the CLI's schema step.</summary>
    public static async Task<LoadedWarehouse> LoadAsync(WarehouseEndpoint endpoint, long rows, DateOnly from, DateOnly to)
    {
        var settings = endpoint.Settings;
        var db = endpoint.CreateDataSource();
        // As the CLI does before loading or serving: schema, layout and the dashboard's read-only login.
        await WarehouseSchema.ApplyAsync(db, SchemaOptions.For(endpoint), CancellationToken.None);
        using var dir = new TempDir();
        var manifest = await new StagingWriter(SalesGenerator.Create(new GeneratorOptions(rows, 42, from, to)), dir.Path, false,
            2).WriteAsync(null, CancellationToken.None);
        var report = await new WarehouseLoader(db, TimeProvider.System).LoadAsync(WarehouseLoader.ResolveFiles([dir.Path]),
            new LoadOptions(), null, CancellationToken.None);
        if (!report.Succeeded)
        {
            throw new InvalidOperationException("test warehouse failed to load");
        }
        return new LoadedWarehouse
        {
            Settings = settings, Db = db, Manifest = manifest,
            ReadOnly = new Lazy<NpgsqlDataSource>(() => Retail.Dashboard.DashboardApp.ReadOnlyDataSource(endpoint)),
        };
    }

    public Task<(long Revenue, long Transactions, long Units, long Lines, long Customers)> KpisFromFactsAsync(DateOnly from, DateOnly to,
        string[] stores, string[] categories) =>
        Db.KpisFromFactsAsync(from, to, stores, categories);

    public Task<List<(string Sku, long Units, long Revenue)>> TopFromFactsAsync(DateOnly from, DateOnly to, string[] stores,
        bool byUnits) =>
        Db.TopFromFactsAsync(from, to, stores, byUnits);
}
