using System.Diagnostics;
using System.Globalization;
using Retail.Data.Configuration;

namespace Retail.Tests.Infrastructure;

/// <summary>
/// Whether a real Citus cluster can be started here: the project's ../shared/citus scripts (CI copies them beside
/// the clone), Citus installed into the machine's PostgreSQL (build-citus.sh; test.sh runs it), and root (the
/// script runs the servers as the postgres user). When not, every Citus test reports itself skipped, with the reason.
/// </summary>
public static class CitusAvailability
{
    public static string? ScriptsDirectory { get; } = FindScripts();

    public static string? SkipReason { get; } = Check();

    private static string? FindScripts()
    {
        if (Environment.GetEnvironmentVariable("RETAIL_CITUS_SCRIPTS") is { Length: > 0 } given)
        {
            return given;
        }
        // From bin/Release/net10.0 up to the project root (the folder with Retail.slnx), then ../shared/citus.
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Retail.slnx")))
            {
                return Path.GetFullPath(Path.Combine(d.FullName, "..", "shared", "citus"));
            }
        }
        return null;
    }

    private static string? Check()
    {
        if (ScriptsDirectory is null || !File.Exists(Path.Combine(ScriptsDirectory, "citus-cluster.sh")))
        {
            return $"Citus tests need ../shared/citus/citus-cluster.sh beside the project (looked in "
                + $"{ScriptsDirectory ?? "(no project root)"})";
        }
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return "Citus tests need root (citus-cluster.sh runs the servers as the postgres user)";
        }
        var installed = Directory.Exists("/usr/lib/postgresql") &&
            Directory.EnumerateDirectories("/usr/lib/postgresql").Any(v => File.Exists(Path.Combine(v, "lib", "citus.so")));
        return installed ? null : "Citus is not installed into PostgreSQL (run ../shared/citus/build-citus.sh as root; ./test.sh does)";
    }
}

/// <summary>A test that needs the real Citus cluster: skipped, visibly and with the reason, when there is none.</summary>
public sealed class CitusFactAttribute : FactAttribute
{
    public CitusFactAttribute()
    {
        if (CitusAvailability.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>
/// A coordinator and two workers on loopback for the whole Citus collection, started with the shared script into
/// a temporary CLUSTER_DIR and destroyed at the end (test.sh's cleanup also destroys one whose test run was killed).
/// Each test class gets its own database (with the extension and the node list on every node). Nothing is tuned:
/// shard count and connection caching are the product's own choices.
/// </summary>
public sealed class CitusFixture : IAsyncLifetime
{
    public string ClusterDirectory { get; } = Path.Combine("/tmp", $"retail-citus-{Guid.NewGuid():N}"[..25]);
    public int Port { get; private set; }
    public string Home { get; } = Path.Combine("/tmp", $"retail-citus-home-{Guid.NewGuid():N}"[..30]);

    public async Task InitializeAsync()
    {
        if (CitusAvailability.SkipReason is not null)
        {
            return;
        }
        Directory.CreateDirectory(ClusterDirectory);
        // Who owns this cluster, so test.sh's cleanup leaves a running test's cluster alone.
        await File.WriteAllTextAsync(Path.Combine(ClusterDirectory, "owner.pid"),
            Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Port = int.Parse((await Script("start", "retail")).Trim(), CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        if (CitusAvailability.SkipReason is null)
        {
            await Script("destroy", "retail");
        }
        if (Directory.Exists(Home))
        {
            Directory.Delete(Home, recursive: true);
        }
    }

    /// <summary>The workers' ports (the script records one file per node).</summary>
    public IReadOnlyList<int> WorkerPorts =>
        Directory.EnumerateFiles(ClusterDirectory, "w*.port").Order(StringComparer.Ordinal)
            .Select(f => int.Parse(File.ReadAllText(f).Trim(), CultureInfo.InvariantCulture)).ToList();

    /// <summary>A fresh database with the citus extension on every node, registered with the coordinator.</summary>
    public async Task<DatabaseSettings> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)].ToLowerInvariant();
        await Script("start", name);
        return new DatabaseSettings { Name = name, Host = "127.0.0.1", Port = Port, User = "postgres", RetailHome = Home };
    }

    public WarehouseEndpoint Endpoint(DatabaseSettings db) => new(db, db.Host!, db.Port!.Value);

    /// <summary>The same database on one worker, logged in as <paramref name="user"/>.</summary>
    public static string WorkerConnectionString(DatabaseSettings db, int workerPort, string user) =>
        new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString(db.Host!, workerPort)) { Username = user, Password = null,
            Pooling = false }.ConnectionString;

    private async Task<string> Script(string command, string database)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(CitusAvailability.ScriptsDirectory!, "citus-cluster.sh"));
        psi.ArgumentList.Add(command);
        psi.Environment["CLUSTER_DIR"] = ClusterDirectory;
        psi.Environment["DB_NAME"] = database;
        // Throwaway test data: durability off, as the single-node test cluster does.
        psi.Environment["CITUS_CONF"] = "fsync = off\nsynchronous_commit = off\nfull_page_writes = off";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return p.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"citus-cluster.sh {command} failed (exit {p.ExitCode}): {await stderr}");
    }
}

[CollectionDefinition(Name)]
public sealed class CitusCollection : ICollectionFixture<CitusFixture>, ICollectionFixture<PostgresFixture>
{
    public const string Name = "citus";
}
