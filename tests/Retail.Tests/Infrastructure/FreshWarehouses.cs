using Npgsql;
using Retail.Data.Configuration;

namespace Retail.Tests.Infrastructure;

/// <summary>
/// Empty databases for one test, each with a pool that closes when the test ends: idle connections of earlier tests
/// would otherwise pile up on the shared server until it has no slot left.
/// </summary>
public sealed class FreshWarehouses(PostgresFixture pg, string prefix) : IAsyncDisposable
{
    private readonly List<NpgsqlDataSource> _sources = [];

    public async Task<(NpgsqlDataSource Db, DatabaseSettings Settings)> CreateAsync()
    {
        var settings = await pg.CreateDatabaseAsync(prefix);
        var db = pg.Endpoint(settings).CreateDataSource();
        _sources.Add(db);
        return (db, settings);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var db in _sources)
        {
            await db.DisposeAsync();
        }
    }
}
