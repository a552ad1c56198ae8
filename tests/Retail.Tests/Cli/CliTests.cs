using Npgsql;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Cli;

[Collection(PostgresCollection.Name)]
public sealed class CliTests(PostgresFixture pg)
{
    private const string Secret = "s3cret-Pa55word";

    [Fact]
    public async Task Help_and_usage_errors()
    {
        using var dir = new TempDir();
        var help = await CliProcess.RunAsync(dir.Path, new Dictionary<string, string?>(), "--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var command in new[] { "generate", "load", "dashboard", "run", "demo", "db", "check", "history", "schedule", "status" })
        {
            Assert.Contains(command, help.Stdout);
            var sub = await CliProcess.RunAsync(dir.Path, new Dictionary<string, string?>(), command, "--help");
            Assert.True(sub.ExitCode == 0, sub.All);
            Assert.Contains("Usage:", sub.Stdout);
        }
        var unknown = await CliProcess.RunAsync(dir.Path, new Dictionary<string, string?>(), "generate", "--rowz", "5");
        Assert.Equal(2, unknown.ExitCode);
        var swapped = await CliProcess.RunAsync(dir.Path, new Dictionary<string, string?>(), "generate", "--from", "2025-02-01", "--to",
            "2025-01-01");
        Assert.Equal(2, swapped.ExitCode);
        Assert.Contains("swap them", swapped.Stderr);
        var zero = await CliProcess.RunAsync(dir.Path, new Dictionary<string, string?>(), "generate", "--rows", "0");
        Assert.Equal(2, zero.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "data")));
    }

    [Fact]
    public async Task Generate_writes_reproducible_files_and_a_manifest()
    {
        using var a = new TempDir();
        var r = await CliProcess.RunAsync(a.Path, new Dictionary<string, string?>(), "generate", "--rows", "3000", "--from", "2025-06-01",
            "--to", "2025-06-07", "--seed", "9");
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Equal(7, Directory.GetFiles(Path.Combine(a.Path, "data", "raw"), "sales_*.csv").Length);
        Assert.True(File.Exists(Path.Combine(a.Path, "data", "raw", "manifest.json")));
        Assert.Empty(Directory.GetFiles(Path.Combine(a.Path, "data", "raw"), "*.tmp"));
    }

    [Fact]
    public async Task Malformed_port_wrong_password_and_unreachable_host_each_give_one_clear_line()
    {
        using var dir = new TempDir();
        var port = await CliProcess.RunAsync(dir.Path, new Dictionary<string,
            string?> { ["DB_HOST"] = "127.0.0.1", ["DB_PORT"] = "54x2", ["DB_PASSWORD"] = Secret }, "db", "status");
        Assert.Equal(1, port.ExitCode);
        Assert.Contains("DB_PORT='54x2'", port.Stderr);
        Assert.DoesNotContain(Secret, port.All);

        // A role that needs a password, on the test cluster acting as an external server.
        var db = await pg.CreateDatabaseAsync("auth");
        await using (var conn = new NpgsqlConnection(pg.Settings.ConnectionString("127.0.0.1", pg.Port, "postgres")))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'analyst') THEN "
                + $"CREATE ROLE analyst LOGIN PASSWORD 'right-one'; END IF; END $$;", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        // The test cluster trusts loopback, so exercise the rejection path against a role that does not exist.
        var env = new Dictionary<string, string?> { ["DB_HOST"] = "127.0.0.1",
            ["DB_PORT"] = pg.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["DB_NAME"] = db.Name,
            ["DB_USER"] = "nobody_here", ["DB_PASSWORD"] = Secret };
        var wrongUser = await CliProcess.RunAsync(dir.Path, env, "db", "status");
        Assert.Equal(1, wrongUser.ExitCode);
        Assert.Single(wrongUser.Stderr.Trim().Split('\n'));
        Assert.DoesNotContain(Secret, wrongUser.All);

        var unreachable = await CliProcess.RunAsync(dir.Path, new Dictionary<string,
            string?> { ["DB_HOST"] = "127.0.0.1", ["DB_PORT"] = "1", ["DB_PASSWORD"] = Secret }, "load", dir.Path);
        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("cannot reach PostgreSQL at 127.0.0.1:1", unreachable.Stderr);
        Assert.DoesNotContain(Secret, unreachable.All);
    }

    [Fact]
    public async Task A_password_protected_embedded_cluster_rejects_a_wrong_password_without_echoing_it()
    {
        using var dir = new TempDir();
        var home = Path.Combine("/tmp", $"retail-pw-{Guid.NewGuid():N}"[..20]);
        try
        {
            var start = await CliProcess.RunAsync(dir.Path, new Dictionary<string,
                string?> { ["RETAIL_HOME"] = home, ["DB_PASSWORD"] = Secret }, "db", "start");
            Assert.True(start.ExitCode == 0, start.All);
            Assert.DoesNotContain(Secret, start.All);
            // The server keeps the environment it was started with for its lifetime: the password must not be in it.
            var cluster = new Retail.Data.Embedded.EmbeddedCluster(new Retail.Data.Configuration.DatabaseSettings { RetailHome = home });
            var dataDirectory = cluster.DataDirectory;
            var postmaster = File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First();
            var environ = await File.ReadAllTextAsync($"/proc/{postmaster}/environ");
            Assert.Contains("PATH=", environ);
            Assert.DoesNotContain(Secret, environ);
            var wrong = await CliProcess.RunAsync(dir.Path, new Dictionary<string,
                string?> { ["RETAIL_HOME"] = home, ["DB_PASSWORD"] = "not-" + Secret }, "db", "url");
            Assert.Equal(1, wrong.ExitCode);
            Assert.Contains("rejected the password", wrong.Stderr);
            Assert.DoesNotContain(Secret, wrong.All);
        }
        finally
        {
            await CliProcess.RunAsync(dir.Path, new Dictionary<string, string?> { ["RETAIL_HOME"] = home, ["DB_PASSWORD"] = Secret }, "db",
                "stop");
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Embedded_cluster_starts_once_is_reused_and_stops_and_an_external_server_is_used_instead_when_configured()
    {
        using var dir = new TempDir();
        var home = Path.Combine("/tmp", $"retail-emb-{Guid.NewGuid():N}"[..20]);
        var env = new Dictionary<string, string?> { ["RETAIL_HOME"] = home };
        try
        {
            // Two at once must not start two servers on one data directory.
            var both = await Task.WhenAll(CliProcess.RunAsync(dir.Path, env, "db", "start"),
                CliProcess.RunAsync(dir.Path, env, "db", "start"));
            Assert.All(both, r => Assert.True(r.ExitCode == 0, r.All));
            Assert.Equal(both[0].Stdout, both[1].Stdout);
            var url = (await CliProcess.RunAsync(dir.Path, env, "db", "url")).Stdout.Trim();
            Assert.Matches(@"^postgresql://postgres@127\.0\.0\.1:\d+/retail$", url);
            var status = await CliProcess.RunAsync(dir.Path, env, "db", "status");
            Assert.Equal(0, status.ExitCode);
            Assert.Contains(url, status.Stdout);
            Assert.Equal(0, (await CliProcess.RunAsync(dir.Path, env, "db", "stop")).ExitCode);
            Assert.Equal(1, (await CliProcess.RunAsync(dir.Path, env, "db", "status")).ExitCode);
            // Data survives a restart, on the recorded port when it is free.
            Assert.Equal(url, (await CliProcess.RunAsync(dir.Path, env, "db", "url")).Stdout.Trim());

            // With DB_HOST in .env, the configured server is used and no embedded cluster is started.
            var external = await pg.CreateDatabaseAsync("ext");
            var home2 = Path.Combine(dir.Path, ".retail");
            await File.WriteAllTextAsync(Path.Combine(dir.Path, ".env"),
                $"DB_HOST=127.0.0.1\nDB_PORT={pg.Port}\nDB_NAME={external.Name}\n");
            var ext = await CliProcess.RunAsync(dir.Path, new Dictionary<string, string?>(), "db", "url");
            Assert.Equal($"postgresql://postgres@127.0.0.1:{pg.Port}/{external.Name}", ext.Stdout.Trim());
            Assert.False(Directory.Exists(home2));
            // The environment wins over .env.
            var env2 = await CliProcess.RunAsync(dir.Path, new Dictionary<string, string?> { ["DB_NAME"] = "other" }, "db", "url");
            Assert.EndsWith("/other", env2.Stdout.Trim());
        }
        finally
        {
            await CliProcess.RunAsync(dir.Path, env, "db", "stop");
            Directory.Delete(home, recursive: true);
        }
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PipelineCliTests(PostgresFixture pg)
{
    [Fact]
    public async Task Run_check_and_history_work_from_the_command_line()
    {
        using var dir = new TempDir();
        var db = await pg.CreateDatabaseAsync("runcli");
        var env = CliProcess.Env(db);
        var first = await CliProcess.RunAsync(dir.Path, env, "run", "--date", "2025-06-10", "--rows-per-day", "800");
        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("2025-06-10: succeeded", first.Stdout);
        var second = await CliProcess.RunAsync(dir.Path, env, "run", "--date", "2025-06-10", "--rows-per-day", "800");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("nothing to do", second.Stdout);

        var check = await CliProcess.RunAsync(dir.Path, env, "check", "--date", "2025-06-10");
        Assert.True(check.ExitCode == 0, check.All);
        Assert.Contains("reconciliation", check.Stdout);
        Assert.DoesNotContain("FAIL", check.Stdout);

        var history = await CliProcess.RunAsync(dir.Path, env, "history");
        Assert.Equal(0, history.ExitCode);
        Assert.Contains("2025-06-10", history.Stdout);
        Assert.Contains("succeeded", history.Stdout);
        Assert.Contains("publish", history.Stdout);

        var swapped = await CliProcess.RunAsync(dir.Path, env, "run", "--from", "2025-06-12", "--to", "2025-06-11");
        Assert.Equal(2, swapped.ExitCode);
        var badCron = await CliProcess.RunAsync(dir.Path, env, "schedule", "--cron", "whenever");
        Assert.Equal(2, badCron.ExitCode);
        Assert.Contains("0 2 * * *", badCron.Stderr);
    }
}

public sealed class GenerateInterruptTests
{
    [Fact]
    public async Task Ctrl_c_during_generate_stops_cleanly_and_leaves_no_file_that_looks_finished()
    {
        // A runner started in the background (nohup, `cmd &`) passes SIGINT on as ignored, and so would never stop the child.
        var ignored = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        Assert.True((Convert.ToUInt64(ignored[7..].Trim(), 16) & 0x2) == 0,
            "this test runner ignores SIGINT (started with nohup or as a background job): run the tests in the foreground");
        using var dir = new TempDir();
        using var p = CliProcess.Start(dir.Path, new Dictionary<string, string?>(), "generate", "--rows", "30000000", "--threads", "1");
        var output = Path.Combine(dir.Path, "data", "raw");
        // Wait until it is writing, then interrupt as a terminal would.
        for (var i = 0; i < 200 && !(Directory.Exists(output) && Directory.EnumerateFiles(output, "*.csv").Any()); i++)
        {
            await Task.Delay(50);
        }
        Assert.True(Directory.EnumerateFiles(output, "*.csv").Any(), "generation never started writing");
        using (var kill = System.Diagnostics.Process.Start("kill",
            ["-INT", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(timeout.Token);
        Assert.NotEqual(0, p.ExitCode);
        Assert.Empty(Directory.EnumerateFiles(output, "*.tmp"));
        Assert.False(File.Exists(Path.Combine(output, "manifest.json")));
        // Every file that is there is complete: it ends with a full line.
        foreach (var f in Directory.EnumerateFiles(output, "*.csv"))
        {
            var bytes = await File.ReadAllBytesAsync(f);
            Assert.True(bytes.Length > 0 && bytes[^1] == (byte)'\n', $"{Path.GetFileName(f)} is cut short");
        }
    }
}
