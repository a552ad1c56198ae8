using System.Text.Json;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Cli;

/// <summary>load, run and schedule log structured events to stderr (JSON when asked), beside the human stdout lines.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LoggingTests(PostgresFixture pg)
{
    private const string Secret = "L0g-s3cret-Pa55";

    private static List<JsonElement> JsonLines(string stderr) =>
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public async Task Load_and_run_log_json_events_to_stderr_and_keep_their_stdout_lines()
    {
        using var work = new TempDir();
        var env = CliProcess.Env(await pg.CreateDatabaseAsync("logs"));
        // The test cluster trusts loopback, so the password is set but unused: it must still appear nowhere.
        env["DB_PASSWORD"] = Secret;
        var gen = await CliProcess.RunAsync(work.Path, env, "generate", "--rows", "2000", "--from", "2025-09-01", "--to", "2025-09-02");
        Assert.True(gen.ExitCode == 0, gen.All);

        var load = await CliProcess.RunAsync(work.Path, env, "load", "--log-format", "json");
        Assert.True(load.ExitCode == 0, load.All);
        Assert.Contains("next:", load.Stdout);
        var loaded = JsonLines(load.Stderr).Where(e => e.GetProperty("EventId").GetInt32() == 100).ToList();
        Assert.Equal(2, loaded.Count);
        Assert.All(loaded, e => Assert.StartsWith("sales_2025-09-0", e.GetProperty("State").GetProperty("File").GetString()));
        Assert.All(loaded, e => Assert.Equal("retail.load", e.GetProperty("Category").GetString()));

        env["RETAIL_LOG_FORMAT"] = "json";
        var run = await CliProcess.RunAsync(work.Path, env, "run", "--date", "2025-09-03", "--rows-per-day", "500");
        Assert.True(run.ExitCode == 0, run.All);
        var events = JsonLines(run.Stderr).Select(e => e.GetProperty("EventId").GetInt32()).ToList();
        Assert.Contains(200, events); // started
        Assert.Contains(201, events); // succeeded
        Assert.Contains(100, events); // its file loaded
        Assert.DoesNotContain(Secret, load.All + run.All);
    }

    [Fact]
    public async Task Text_is_the_default_and_an_unknown_format_is_a_usage_error()
    {
        using var work = new TempDir();
        var env = CliProcess.Env(await pg.CreateDatabaseAsync("logtext"));
        Assert.Equal(0,
            (await CliProcess.RunAsync(work.Path, env, "generate", "--rows", "500", "--from", "2025-09-01", "--to",
            "2025-09-01")).ExitCode);
        var load = await CliProcess.RunAsync(work.Path, env, "load");
        Assert.True(load.ExitCode == 0, load.All);
        Assert.Matches(@"info: retail\.load\[100\] loaded sales_2025-09-01\.csv as batch \d+: \d+ rows, 0 rejected", load.Stderr);
        Assert.Empty(JsonLines(load.Stderr));

        var bad = await CliProcess.RunAsync(work.Path, env, "load", "--log-format", "xml");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("error: log format 'xml' is not 'text' or 'json': fix --log-format or RETAIL_LOG_FORMAT.", bad.Stderr.Trim());
    }

    [Theory]
    [InlineData("load")]
    [InlineData("run")]
    [InlineData("schedule")]
    public async Task A_failing_connection_logs_no_password_and_ends_with_one_error_line(string command)
    {
        using var dir = new TempDir();
        var env = new Dictionary<string, string?> { ["DB_HOST"] = "127.0.0.1", ["DB_PORT"] = "1", ["DB_PASSWORD"] = Secret,
            ["RETAIL_LOG_FORMAT"] = "json" };
        var r = await CliProcess.RunAsync(dir.Path, env, command == "load" ? [command, dir.Path] : [command]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("cannot reach PostgreSQL at 127.0.0.1:1", r.Stderr);
        Assert.DoesNotContain(Secret, r.All);
    }
}
