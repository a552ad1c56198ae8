using System.Globalization;
using System.Text;
using Npgsql;
using Retail.Data.Configuration;

namespace Retail.Data.Embedded;

/// <summary>
/// A private PostgreSQL cluster that ./retail owns: created on first use, started on a free loopback port
/// (recorded so later commands reconnect), reused while it runs, kept across runs.
/// Start and stop are serialised across processes by a lock file, so two commands never start two servers.
/// </summary>
public sealed class EmbeddedCluster
{
    private readonly DatabaseSettings _settings;
    private readonly IReadOnlyDictionary<string, string> _serverOptions;

    public EmbeddedCluster(DatabaseSettings settings, IReadOnlyDictionary<string, string>? serverOptions = null)
    {
        _settings = settings;
        _serverOptions = serverOptions ?? new Dictionary<string, string>();
        StateDirectory = Path.Combine(settings.RetailHome, "pg");
        ClusterDirectory = ClusterFiles.ResolveDirectory(StateDirectory);
        DataDirectory = Path.Combine(ClusterDirectory, "data");
    }

    /// <summary>Where the lock and the port record live (always under RETAIL_HOME).</summary>
    public string StateDirectory { get; }

    /// <summary>Parent of the data directory; owned by the postgres user when we run as root.</summary>
    public string ClusterDirectory { get; }

    public string DataDirectory { get; }

    private string PortFile => Path.Combine(StateDirectory, "port");
    private string LogFile => Path.Combine(ClusterDirectory, "server.log");

    public const string Host = "127.0.0.1";

    /// <summary>Initialises (first use) and starts the cluster unless it already runs; returns its port.</summary>
    public async Task<int> StartAsync(CancellationToken ct)
    {
        var bin = PostgresBinaries.Locate(_settings.PgBin);
        Directory.CreateDirectory(StateDirectory);
        using var _ = await AcquireLockAsync(ct);

        if (await IsRunningAsync(bin, ct) && ReadPort() is { } running)
        {
            await EnsureDatabaseAsync(running, ct);
            return running;
        }

        await PrepareClusterDirectoryAsync(ct);
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitDbAsync(bin, ct);
        }
        ClusterFiles.RemoveStalePidFile(DataDirectory);

        var port = ReadPort() is { } recorded && LoopbackPorts.IsFree(recorded) ? recorded : LoopbackPorts.Free();
        var options = new StringBuilder($"-c port={port} -c listen_addresses={Host} -c unix_socket_directories=''");
        foreach (var (k, v) in _serverOptions)
        {
            options.Append(CultureInfo.InvariantCulture, $" -c {k}={v}");
        }
        var start = await ProcessRunner.RunAsync(bin.PgCtl,
            ["start", "-w", "-t", "60", "-D", DataDirectory, "-l", LogFile, "-o", options.ToString()], ct);
        if (start.ExitCode != 0)
        {
            throw new EmbeddedClusterException(
                $"the embedded PostgreSQL did not start (pg_ctl exit {start.ExitCode}): {LastLogLines()} — "
                + $"see {LogFile}, or run './retail db stop' and try again.");
        }
        await File.WriteAllTextAsync(PortFile, port.ToString(CultureInfo.InvariantCulture), ct);
        await EnsureDatabaseAsync(port, ct);
        return port;
    }

    /// <summary>Stops the cluster if it runs. Returns false when it was not running.</summary>
    public async Task<bool> StopAsync(CancellationToken ct)
    {
        var bin = PostgresBinaries.Locate(_settings.PgBin);
        if (!Directory.Exists(DataDirectory))
        {
            return false;
        }
        Directory.CreateDirectory(StateDirectory);
        using var _ = await AcquireLockAsync(ct);
        if (!await IsRunningAsync(bin, ct))
        {
            return false;
        }
        var stop = await ProcessRunner.RunAsync(bin.PgCtl, ["stop", "-w", "-t", "60", "-m", "fast", "-D", DataDirectory], ct);
        return stop.ExitCode == 0
            ? true
            : throw new EmbeddedClusterException($"pg_ctl stop failed: {stop.Output}");
    }

    /// <summary>The port when the cluster runs, else null.</summary>
    public async Task<int?> RunningPortAsync(CancellationToken ct)
    {
        var bin = PostgresBinaries.Locate(_settings.PgBin);
        return Directory.Exists(DataDirectory) && await IsRunningAsync(bin, ct) ? ReadPort() : null;
    }

    private async Task<bool> IsRunningAsync(PostgresBinaries bin, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            return false;
        }
        var status = await ProcessRunner.RunAsync(bin.PgCtl, ["status", "-D", DataDirectory], ct);
        return status.ExitCode == 0;
    }

    private async Task InitDbAsync(PostgresBinaries bin, CancellationToken ct)
    {
        List<string> args = ["-D", DataDirectory, "-U", _settings.User, "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"];
        string? pwFile = null;
        if (_settings.Password is { } pw)
        {
            pwFile = Path.Combine(ClusterDirectory, ".pwfile");
            await File.WriteAllTextAsync(pwFile, pw, ct);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(pwFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            await ClusterFiles.ChownToServerUserAsync(pwFile, ct);
            args.AddRange(["--auth=scram-sha-256", $"--pwfile={pwFile}"]);
        }
        else
        {
            // Bound to loopback only; set DB_PASSWORD before the first start to require a password.
            args.Add("--auth=trust");
        }
        try
        {
            var init = await ProcessRunner.RunAsync(bin.InitDb, args, ct);
            if (init.ExitCode != 0)
            {
                throw new EmbeddedClusterException($"initdb failed (exit {init.ExitCode}): {_settings.Redact(init.Output)}");
            }
        }
        finally
        {
            if (pwFile is not null)
            {
                File.Delete(pwFile);
            }
        }
    }

    private async Task EnsureDatabaseAsync(int port, CancellationToken ct)
    {
        // Unpooled: a pooled connection from before a restart would be dead (57P01) on first use.
        // A server that has just started on a busy machine may take a while to answer its first (scram) login.
        var cs = new NpgsqlConnectionStringBuilder(_settings.ConnectionString(Host, port, database: "postgres")) { Pooling = false,
            Timeout = 30 }.ConnectionString;
        await using var conn = new NpgsqlConnection(cs);
        try
        {
            await conn.OpenAsync(ct);
        }
        catch (NpgsqlException e) when (e.InnerException is TimeoutException)
        {
            throw new EmbeddedClusterException(
                $"the embedded PostgreSQL at {Host}:{port} is running but did not accept a connection within 30 s (the machine may be "
                    + $"overloaded): run the command again, or see {LogFile}.");
        }
        catch (PostgresException e)
            when (e.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            throw new EmbeddedClusterException(
                $"the embedded PostgreSQL at {Host}:{port} rejected the password for user '{_settings.User}': DB_PASSWORD must be the one "
                    + $"the cluster was created with " +
                $"(to start afresh, run './retail db stop' and delete {ClusterDirectory}).");
        }
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1",
            conn) { Parameters = { new() { Value = _settings.Name } } };
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            try
            {
                // The name was validated as an identifier by DatabaseSettings.
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_settings.Name}\"", conn);
                await create.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
            {
                // Another process created it between our check and our CREATE.
            }
        }
    }

    private async Task PrepareClusterDirectoryAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(ClusterDirectory);
        await ClusterFiles.ChownToServerUserAsync(ClusterDirectory, ct);
    }

    private int? ReadPort() =>
        File.Exists(PortFile) && int.TryParse(File.ReadAllText(PortFile).Trim(), out var p) ? p : null;

    private string LastLogLines()
    {
        try
        {
            return string.Join(" | ", File.ReadLines(LogFile).TakeLast(3));
        }
        catch (IOException)
        {
            return "(no server log)";
        }
        catch (UnauthorizedAccessException)
        {
            return "(server log unreadable)";
        }
    }

    private async Task<IDisposable> AcquireLockAsync(CancellationToken ct)
    {
        var lockPath = Path.Combine(StateDirectory, "cluster.lock");
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            try
            {
                // The OS releases this lock if we die, so a crash never leaves it stuck.
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, ct);
            }
        }
    }
}
