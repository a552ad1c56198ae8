using Npgsql;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Operations;

/// <summary>retail db backup / restore against the test server: a round trip reconciles to the penny.</summary>
[Collection(PostgresCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BackupTests(PostgresFixture pg)
{
    private const string Secret = "s3cret-Backup-Pa55";

    /// <summary>Fresh unpooled connections: the database is dropped and recreated under the test's feet.</summary>
    private async Task<T> WithConnectionAsync<T>(string database, Func<NpgsqlConnection, Task<T>> body)
    {
        var cs = new NpgsqlConnectionStringBuilder(pg.Settings.ConnectionString("127.0.0.1", pg.Port,
            database)) { Pooling = false }.ConnectionString;
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        return await body(conn);
    }

    /// <summary>Revenue and lines per store per day, straight from the facts, plus the batch ledger.</summary>
    private Task<List<string>> FiguresAsync(string database) => WithConnectionAsync(database, async conn =>
    {
        var rows = new List<string>();
        await using var cmd = new NpgsqlCommand("""
            SELECT f.sale_date::text || ' ' || s.store_code || ' ' || sum(f.line_total_pence)::bigint || 'p ' || count(*) || ' lines'
            FROM marts.fct_sales f JOIN marts.dim_store s USING (store_key) GROUP BY f.sale_date, s.store_code
            UNION ALL
            SELECT 'batch ' || batch_id || ' ' || file_sha256 || ' ' || rows_loaded FROM ops.load_batches WHERE status = 'loaded'
            ORDER BY 1
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            rows.Add(r.GetString(0));
        }
        return rows;
    });

    [Fact]
    public async Task Backup_then_drop_then_restore_reconciles_to_the_penny_and_a_nonempty_warehouse_needs_force()
    {
        using var dir = new TempDir();
        var db = await pg.CreateDatabaseAsync("backup");
        var env = CliProcess.Env(db);
        Assert.Equal(0,
            (await CliProcess.RunAsync(dir.Path, env, "generate", "--rows", "4000", "--from", "2025-03-01", "--to",
            "2025-03-10")).ExitCode);
        var load = await CliProcess.RunAsync(dir.Path, env, "load");
        Assert.True(load.ExitCode == 0, load.All);
        var before = await FiguresAsync(db.Name);
        Assert.Equal(10 * 15 + 10, before.Count); // 15 stores open × 10 days (Colindale opens in 2026), 10 batches

        var backup = await CliProcess.RunAsync(dir.Path, env, "db", "backup", "backups/march.dump");
        Assert.True(backup.ExitCode == 0, backup.All);
        Assert.Matches(
            @"^backup written: .*/backups/march\.dump \([\d.]+ MiB; 10 loaded batches, 4,000 sales lines\) from .* in \d+\.\ds$",
            backup.Stdout.Split('\n')[0]);
        Assert.Empty(Directory.GetFiles(Path.Combine(dir.Path, "backups"), "*.partial-*"));
        // Never overwrites a backup.
        var again = await CliProcess.RunAsync(dir.Path, env, "db", "backup", "backups/march.dump");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Stderr);

        // Restoring over data needs --force, and refusing changes nothing.
        var refused = await CliProcess.RunAsync(dir.Path, env, "db", "restore", "backups/march.dump");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already holds 10 loaded batches, 4,000 sales lines", refused.Stderr);
        Assert.Contains("--force", refused.Stderr);
        Assert.Equal(before, await FiguresAsync(db.Name));

        // Drop the warehouse: the database goes, and comes back empty.
        await WithConnectionAsync("postgres", async conn =>
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE \"{db.Name}\" WITH (FORCE)", conn);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{db.Name}\"", conn);
            return await create.ExecuteNonQueryAsync();
        });
        var restore = await CliProcess.RunAsync(dir.Path, env, "db", "restore", "backups/march.dump");
        Assert.True(restore.ExitCode == 0, restore.All);
        Assert.Contains("10 loaded batches, 4,000 sales lines", restore.Stdout);
        Assert.Equal(before, await FiguresAsync(db.Name));

        // Still exactly once, checks pass, and the dashboard's read-only role can read the restored rollups.
        var reload = await CliProcess.RunAsync(dir.Path, env, "load");
        Assert.Contains("files: 0 loaded, 10 skipped", reload.Stdout);
        var check = await CliProcess.RunAsync(dir.Path, env, "check");
        Assert.True(check.ExitCode == 0, check.All);
        var asDashboard = await WithConnectionAsync(db.Name, async conn =>
        {
            // What the dashboard reads for all stores: the all-store rows.
            await using var cmd = new NpgsqlCommand("SET ROLE retail_dashboard; SELECT sum(revenue_pence)::bigint FROM "
                + "marts.agg_sales_hourly WHERE store_key = 0", conn);
            return (long)(await cmd.ExecuteScalarAsync())!;
        });
        var facts = await WithConnectionAsync(db.Name, async conn =>
        {
            await using var cmd = new NpgsqlCommand("SELECT sum(line_total_pence)::bigint FROM marts.fct_sales", conn);
            return (long)(await cmd.ExecuteScalarAsync())!;
        });
        Assert.Equal(facts, asDashboard);

        // --force replaces a warehouse that moved on (a later day loaded) with the backup, exactly.
        Assert.Equal(0,
            (await CliProcess.RunAsync(dir.Path, env, "generate", "--rows", "500", "--from", "2025-03-11", "--to", "2025-03-11", "--out",
            "later")).ExitCode);
        Assert.Equal(0, (await CliProcess.RunAsync(dir.Path, env, "load", "later")).ExitCode);
        Assert.NotEqual(before, await FiguresAsync(db.Name));
        var forced = await CliProcess.RunAsync(dir.Path, env, "db", "restore", "backups/march.dump", "--force");
        Assert.True(forced.ExitCode == 0, forced.All);
        Assert.Contains("(replacing 11 loaded batches, 4,500 sales lines)", forced.Stdout);
        Assert.Equal(before, await FiguresAsync(db.Name));

        // A backup cut short (its table of contents intact, its data not): the restore fails and changes nothing.
        var whole = await File.ReadAllBytesAsync(Path.Combine(dir.Path, "backups", "march.dump"));
        await File.WriteAllBytesAsync(Path.Combine(dir.Path, "cut.dump"), whole[..(whole.Length * 2 / 3)]);
        var cut = await CliProcess.RunAsync(dir.Path, env, "db", "restore", "cut.dump", "--force");
        Assert.Equal(1, cut.ExitCode);
        Assert.Contains("the restore failed and was rolled back", cut.Stderr);
        Assert.Equal(before, await FiguresAsync(db.Name));

        // Not a backup: refused before anything is touched.
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "junk.dump"), "hello");
        var junk = await CliProcess.RunAsync(dir.Path, env, "db", "restore", "junk.dump", "--force");
        Assert.Equal(1, junk.ExitCode);
        Assert.Contains("is not a backup written by 'retail db backup'", junk.Stderr);
        Assert.Equal(before, await FiguresAsync(db.Name));
    }

    [Fact]
    public async Task A_restore_stream_whose_producer_dies_mid_way_is_rolled_back_not_committed()
    {
        var db = await pg.CreateDatabaseAsync("pipe");
        // A producer that emits valid SQL and then fails, as pg_restore does on an archive cut short.
        var result = await Retail.Data.Embedded.ProcessRunner.PipeAsync(
            ("bash", ["-c", "echo 'CREATE TABLE partial_restore (x int); INSERT INTO partial_restore VALUES (1);'; exit 3"]),
            (Retail.Data.Embedded.PostgresBinaries.Locate(null).Psql,
                ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--file=-", $"--host=127.0.0.1", $"--port={pg.Port}",
                "--username=postgres", $"--dbname={db.Name}"], null),
            "BEGIN;\n", "COMMIT;\n", CancellationToken.None);
        Assert.Equal(3, result.ExitCode);
        var exists = await WithConnectionAsync(db.Name, async conn =>
        {
            await using var cmd = new NpgsqlCommand("SELECT to_regclass('partial_restore') IS NOT NULL", conn);
            return (bool)(await cmd.ExecuteScalarAsync())!;
        });
        Assert.False(exists, "the partial stream was committed");
    }

    [Fact]
    public async Task The_password_reaches_pg_dump_only_as_PGPASSWORD_in_its_own_environment()
    {
        using var dir = new TempDir();
        var bin = Path.Combine(dir.Path, "bin");
        Directory.CreateDirectory(bin);
        // Stand-ins that record what they were given.
        var recorder = $$"""
            #!/usr/bin/env bash
            printf '%s\n' "$@" > '{{dir.Path}}/args.txt'
            env > '{{dir.Path}}/env.txt'
            for a in "$@"; do case "$a" in --file=*) echo fake > "${a#--file=}" ;; esac; done
            """;
        Shell.WriteExecutable(Path.Combine(bin, "pg_dump"), recorder);
        Shell.WriteExecutable(Path.Combine(bin, "pg_restore"), recorder);
        Shell.WriteExecutable(Path.Combine(bin, "psql"), recorder);
        var env = CliProcess.Env(await pg.CreateDatabaseAsync("backuppw"));
        env["DB_PASSWORD"] = Secret;
        env["PG_BIN"] = bin;
        var r = await CliProcess.RunAsync(dir.Path, env, "db", "backup", "x.dump");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.DoesNotContain(Secret, r.All);
        var childEnv = await File.ReadAllLinesAsync(Path.Combine(dir.Path, "env.txt"));
        Assert.Contains($"PGPASSWORD={Secret}", childEnv);
        Assert.DoesNotContain(childEnv, l => l.StartsWith("DB_PASSWORD=", StringComparison.Ordinal));
        var args = await File.ReadAllTextAsync(Path.Combine(dir.Path, "args.txt"));
        Assert.DoesNotContain(Secret, args);
        Assert.Contains("--no-password", args);
    }
}
