using System.Globalization;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Operations;

/// <summary>retail status: one scriptable line and an exit code, after a run and after a failing check.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StatusTests(PostgresFixture pg)
{
    private static Dictionary<string, string> Fields(string line) =>
        line.Trim().Split(' ').Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

    [Fact]
    public async Task Status_is_empty_then_ok_after_a_run_then_failing_after_a_failing_check()
    {
        using var dir = new TempDir();
        var env = CliProcess.Env(await pg.CreateDatabaseAsync("status"));
        var empty = await CliProcess.RunAsync(dir.Path, env, "status");
        Assert.Equal(1, empty.ExitCode);
        Assert.Equal("status=empty last_run=none last_load=none batches=0 rows=0 failed_loads=0 failing_checks=none data_through=none",
            empty.Stdout.Trim());

        var yesterday = DateOnly.FromDateTime(DateTime.Now.Date).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var run = await CliProcess.RunAsync(dir.Path, env, "run", "--rows-per-day", "400");
        Assert.True(run.ExitCode == 0, run.All);
        var ok = await CliProcess.RunAsync(dir.Path, env, "status");
        Assert.True(ok.ExitCode == 0, ok.All);
        Assert.Single(ok.Stdout.Trim().Split('\n'));
        var f = Fields(ok.Stdout);
        Assert.Equal("ok", f["status"]);
        Assert.Equal(yesterday, f["last_run"]);
        Assert.Equal("succeeded", f["last_run_status"]);
        Assert.Equal("1", f["batches"]);
        Assert.Equal("none", f["failing_checks"]);
        Assert.Equal(yesterday, f["data_through"]);
        Assert.Equal("1", f["age_days"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$", f["last_load"]);
        Assert.Equal("400", f["rows"]); // plain integers, no thousands separators
        // Stale when the operator allows less than a day.
        var stale = await CliProcess.RunAsync(dir.Path, env, "status", "--max-age-days", "0");
        Assert.Equal(1, stale.ExitCode);
        Assert.StartsWith("status=stale ", stale.Stdout);

        // A check that fails: reconcile yesterday against another seed's manifest.
        Assert.Equal(0,
            (await CliProcess.RunAsync(dir.Path, env, "generate", "--rows", "400", "--from", yesterday, "--to", yesterday, "--seed", "7",
            "--out", "other")).ExitCode);
        var check = await CliProcess.RunAsync(dir.Path, env, "check", "--date", yesterday, "--manifest", "other/manifest.json");
        Assert.Equal(1, check.ExitCode);
        var failing = await CliProcess.RunAsync(dir.Path, env, "status");
        Assert.Equal(1, failing.ExitCode);
        var g = Fields(failing.Stdout);
        Assert.Equal("failing", g["status"]);
        // The reconciliation against that manifest is the one failing check (named reconciliation or manifest_reconciliation).
        Assert.Matches("^(manifest_)?reconciliation$", g["failing_checks"]);
    }

    [Fact]
    public async Task Status_of_a_stopped_embedded_cluster_is_down_and_starts_nothing()
    {
        using var dir = new TempDir();
        var home = Path.Combine(dir.Path, "home");
        var r = await CliProcess.RunAsync(dir.Path, new Dictionary<string, string?> { ["RETAIL_HOME"] = home }, "status");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("status=down reason=embedded_postgresql_not_running", r.Stdout);
        Assert.False(Directory.Exists(Path.Combine(home, "pg", "data")));
    }
}
