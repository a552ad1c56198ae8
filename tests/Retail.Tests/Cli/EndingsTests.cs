using System.Text.RegularExpressions;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Cli;

/// <summary>Every long command ends with a one-line summary with its elapsed time; generate and load say what to run next.</summary>
[Collection(PostgresCollection.Name)]
public sealed class EndingsTests(PostgresFixture pg)
{
    private static string[] LastLines(CliProcess.Result r, int n) => r.Stdout.TrimEnd().Split('\n')[^n..];

    [Fact]
    public async Task Generate_load_check_and_run_end_with_a_summary_and_the_next_command()
    {
        using var dir = new TempDir();
        var env = CliProcess.Env(await pg.CreateDatabaseAsync("endings"));

        var generate = await CliProcess.RunAsync(dir.Path, env, "generate", "--rows", "2000", "--from", "2025-06-01", "--to", "2025-06-07");
        Assert.True(generate.ExitCode == 0, generate.All);
        Assert.Equal("next: retail load (loads the files into the warehouse)", LastLines(generate, 1)[0]);

        var load = await CliProcess.RunAsync(dir.Path, env, "load");
        Assert.True(load.ExitCode == 0, load.All);
        var l = LastLines(load, 2);
        Assert.Matches(@"^files: 7 loaded, 0 skipped .*; \d+\.\ds, [\d,]+ rows/s$", l[0]);
        Assert.Equal("next: retail check (data-quality checks), then retail dashboard (serves http://127.0.0.1:8501)", l[1]);

        var check = await CliProcess.RunAsync(dir.Path, env, "check");
        Assert.True(check.ExitCode == 0, check.All);
        Assert.Matches(@"^checks: 9 passed, 0 failed for 2025-06-01\.\.2025-06-07 in \d+\.\ds$", LastLines(check, 1)[0]);

        var run = await CliProcess.RunAsync(dir.Path, env, "run", "--date", "2025-06-08", "--rows-per-day", "300");
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Matches(
            @"^run: 1 succeeded, 0 already done, 0 failed \(2025-06-08\.\.2025-06-08\), 300 rows loaded, in \d+\.\ds$",
            LastLines(run, 1)[0]);

        // A failing load says how to recover instead.
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "broken.csv"), "not,a,sales,file\n1,2,3,4\n");
        var bad = await CliProcess.RunAsync(dir.Path, env, "load", "broken.csv");
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("next: fix or remove the failed files named above, then retail load again (files already loaded are skipped)",
            LastLines(bad, 1)[0]);
    }
}
