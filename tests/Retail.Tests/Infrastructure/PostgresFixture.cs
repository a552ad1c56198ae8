using Npgsql;
using Retail.Data.Configuration;
using Retail.Data.Embedded;

namespace Retail.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster per test collection, started through the product's own embedded-cluster code
/// (temp dir, free port, fsync off). Each test class asks for its own database. If the server cannot start,
/// every test that needs it fails with the reason; nothing is skipped.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public string Home { get; } = Path.Combine("/tmp", $"retail-test-{Guid.NewGuid():N}"[..24]);
    public DatabaseSettings Settings { get; private set; } = null!;
    public int Port { get; private set; }
    private EmbeddedCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        Settings = new DatabaseSettings { RetailHome = Home, Name = "postgres" };
        _cluster = new EmbeddedCluster(Settings, new Dictionary<string, string>
        {
            ["fsync"] = "off",
            ["synchronous_commit"] = "off",
            ["full_page_writes"] = "off",
            ["max_connections"] = "200",
        });
        Port = await _cluster.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAsync(CancellationToken.None);
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A fresh database for one test class; settings point at it as an external server (DB_HOST set).</summary>
    public async Task<DatabaseSettings> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)].ToLowerInvariant();
        await using var conn = new NpgsqlConnection(Settings.ConnectionString(EmbeddedCluster.Host, Port, "postgres"));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
        await cmd.ExecuteNonQueryAsync();
        return Settings with { Name = name, Host = EmbeddedCluster.Host, Port = Port };
    }

    public WarehouseEndpoint Endpoint(DatabaseSettings db) => new(db, db.Host!, db.Port!.Value);

    private readonly Dictionary<string, Task<LoadedWarehouse>> _shared = [];

    /// <summary>A loaded warehouse shared by the tests that ask for the same key (loading it once per run).</summary>
    public Task<LoadedWarehouse> SharedAsync(string key, long rows, DateOnly from, DateOnly to)
    {
        lock (_shared)
        {
            if (!_shared.TryGetValue(key, out var task))
            {
                task = LoadedWarehouse.CreateAsync(this, key, rows, from, to);
                _shared[key] = task;
            }
            return task;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}

/// <summary>
/// The browser tests, in two halves, each on a cluster of its own: they are most of the suite's time, and in the one
/// serial collection above they kept CI over 20 minutes. Tests of a collection still run one after another.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollectionA : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres-browser-a";
}

/// <summary>The other half of the browser tests (<see cref="BrowserCollectionA"/>).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollectionB : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres-browser-b";
}
