using System.Globalization;
using Npgsql;
using Retail.Data.Configuration;
using Retail.Data.Embedded;
using Retail.Data.Warehouse;

namespace Retail.Data.Backup;

/// <summary>What a warehouse holds, for the lines a backup or restore prints and for refusing to overwrite data.</summary>
public readonly record struct WarehouseContents(long Batches, long Lines)
{
    public bool IsEmpty => Batches == 0 && Lines == 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Batches:N0} loaded batch{(Batches == 1 ? "" : "es")}, {Lines:N0} sales line{(Lines == 1 ? "" : "s")}");
}

public sealed record BackupResult(string File, long Bytes, WarehouseContents Contents, TimeSpan Elapsed);

public sealed record RestoreResult(string File, WarehouseContents Replaced, WarehouseContents Restored, TimeSpan Elapsed);

/// <summary>
/// Backup and restore of the warehouse with PostgreSQL's own tools (pg_dump custom format, pg_restore). The password
/// reaches them only as PGPASSWORD in their own environment, never on a command line. A backup is written under a
/// temporary name and renamed when complete; a restore is one transaction, so a failure leaves the warehouse as it was.
/// </summary>
public sealed class WarehouseBackup(WarehouseEndpoint endpoint, TimeProvider clock)
{
    /// <summary>Writes the whole warehouse database to <paramref name="file"/>, which must not exist yet.</summary>
    public async Task<BackupResult> BackupAsync(string file, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        if (File.Exists(file))
        {
            throw new IOException($"{file} already exists: choose another file name, or delete it first.");
        }
        await using var db = endpoint.CreateDataSource("retail backup");
        var tools = await ToolsAsync(db, ct);
        var contents = await ContentsAsync(db, ct);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var partial = $"{file}.partial-{Environment.ProcessId}";
        try
        {
            await RunAsync(tools.PgDump, ["--format=custom", $"--file={partial}", .. Connection()], "pg_dump", ct);
            File.Move(partial, file);
        }
        finally
        {
            File.Delete(partial);
        }
        return new BackupResult(file, new FileInfo(file).Length, contents, clock.GetElapsedTime(started));
    }

    /// <summary>
    /// Restores <paramref name="file"/> into the configured database. A warehouse that holds data is replaced only
    /// with <paramref name="replace"/>; otherwise <see cref="WarehouseNotEmptyException"/> says what it holds.
    /// </summary>
    public async Task<RestoreResult> RestoreAsync(string file, bool replace, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        if (!File.Exists(file))
        {
            throw new FileNotFoundException($"{file} not found: give a file written by 'retail db backup'.");
        }
        await using var db = endpoint.CreateDataSource("retail restore");
        var tools = await ToolsAsync(db, ct);
        // Reading the archive's table of contents proves it is a pg_dump custom archive before anything is touched.
        var toc = await RunAsync(tools.PgRestore, ["--list", file], "pg_restore --list", ct,
            what: $"{file} is not a backup written by 'retail db backup' (pg_dump custom format)");
        var before = await ContentsAsync(db, ct);
        if (!before.IsEmpty && !replace)
        {
            throw new WarehouseNotEmptyException($"the warehouse {endpoint.Url} already holds {before}: restoring would replace it. Back "
                + $"it up first if you need it, then add --force to replace it with {file}.");
        }
        // pg_restore --clean cannot drop a partitioned table's inherited keys, so the archive's schemas are dropped
        // whole instead, in the same transaction as the restore script, which commits only when pg_restore finished
        // and psql met no error (ON_ERROR_STOP): all or nothing.
        // Owners and grants are the target's own: the dashboard's read-only login is granted again below.
        var drops = "BEGIN;\n" + string.Concat(SchemasIn(toc).Select(schema => $"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;\n"));
        var env = new Dictionary<string, string> { ["PGOPTIONS"] = "-c client_min_messages=warning" };
        if (endpoint.Settings.Password is { } pw)
        {
            env["PGPASSWORD"] = pw;
        }
        var restore = await ProcessRunner.PipeAsync(
            (tools.PgRestore, ["--no-owner", "--no-privileges", "--file=-", file]),
            (tools.Psql, ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--file=-", .. Connection()], env),
            drops, "COMMIT;\n", ct);
        if (restore.ExitCode != 0)
        {
            throw new BackupException($"the restore failed and was rolled back, the warehouse is unchanged (exit {restore.ExitCode}): "
                + $"{FirstLines(restore.Output)}");
        }
        // The schema step grants the dashboard's login again (a restore leaves grants out) and, on Citus, distributes.
        await WarehouseSchema.ApplyAsync(db, SchemaOptions.For(endpoint), ct);
        return new RestoreResult(file, before, await ContentsAsync(db, ct), clock.GetElapsedTime(started));
    }

    private string[] Connection() =>
    [
        $"--host={endpoint.Host}", $"--port={endpoint.Port.ToString(CultureInfo.InvariantCulture)}",
        $"--username={endpoint.Settings.User}", $"--dbname={endpoint.Settings.Name}", "--no-password",
    ];

    private async Task<PostgresClientTools> ToolsAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return PostgresClientTools.Locate(endpoint.Settings, conn.PostgreSqlVersion.Major);
    }

    private async Task<string> RunAsync(string tool, string[] args, string name, CancellationToken ct, string? what = null)
    {
        var env = endpoint.Settings.Password is { } pw ? new Dictionary<string, string> { ["PGPASSWORD"] = pw } : null;
        var r = await ProcessRunner.RunAsync(tool, args, ct, asServerUser: false, environment: env);
        return r.ExitCode == 0 ? r.Output : throw new BackupException($"{what ?? $"{name} failed (exit {r.ExitCode})"}: "
            + $"{FirstLines(r.Output)}");
    }

    private string FirstLines(string output) =>
        endpoint.Settings.Redact(string.Join(" | ",
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(3)));

    /// <summary>The schemas an archive creates, from its table of contents (lines like "5; 2615 16385 SCHEMA - marts postgres").</summary>
    internal static IReadOnlyList<string> SchemasIn(string toc) =>
        toc.Split('\n')
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\d+; \d+ \d+ SCHEMA - (\S+) "))
            .Where(m => m.Success && m.Groups[1].Value != "public" && DatabaseSettings.IsIdentifier(m.Groups[1].Value))
            .Select(m => m.Groups[1].Value)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>Loaded batches and fact lines; an uninitialised database counts as empty.</summary>
    public static async Task<WarehouseContents> ContentsAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using (var exists = db.CreateCommand("SELECT to_regclass('ops.load_batches') IS NOT NULL AND to_regclass('marts.fct_sales') "
            + "IS NOT NULL"))
        {
            if (await exists.ExecuteScalarAsync(ct) is not true)
            {
                return new WarehouseContents(0, 0);
            }
        }
        await using var cmd = db.CreateCommand("SELECT (SELECT count(*) FROM ops.load_batches WHERE status = 'loaded'), (SELECT count(*) "
            + "FROM marts.fct_sales)");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new WarehouseContents(r.GetInt64(0), r.GetInt64(1));
    }
}

/// <summary>A backup or restore tool failed; the message holds its first lines (password masked).</summary>
public sealed class BackupException(string message) : Exception(message);

/// <summary>A restore would overwrite a warehouse that holds data, and --force was not given.</summary>
public sealed class WarehouseNotEmptyException(string message) : Exception(message);
