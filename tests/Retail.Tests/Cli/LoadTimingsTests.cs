using System.Globalization;
using System.Text.RegularExpressions;
using Retail.Data.Loading;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Cli;

/// <summary>retail load --timings says where the time went, and the wall-clock phases fit inside the load.</summary>
[Collection(PostgresCollection.Name)]
public sealed class LoadTimingsTests(PostgresFixture pg)
{
    [Fact]
    public async Task Load_with_timings_prints_every_phase_once_and_wall_phases_fit_in_the_total()
    {
        using var dir = new TempDir();
        var env = CliProcess.Env(await pg.CreateDatabaseAsync("timings"));
        var generate = await CliProcess.RunAsync(dir.Path, env, "generate", "--rows", "3000", "--from", "2025-06-01", "--to", "2025-06-10");
        Assert.True(generate.ExitCode == 0, generate.All);

        var load = await CliProcess.RunAsync(dir.Path, env, "load", "--timings");
        Assert.True(load.ExitCode == 0, load.All);
        var total = double.Parse(
            Regex.Match(load.Stdout, @"where the time went \((\d+\.\d+) s in all").Groups[1].Value, CultureInfo.InvariantCulture);
        var seconds = new Dictionary<LoadPhase, double>();
        foreach (var phase in LoadTimings.Order)
        {
            var m = Regex.Matches(load.Stdout, $@"^\s+(\d+\.\d+) s  {Regex.Escape(LoadTimings.Describe(phase))}$", RegexOptions.Multiline);
            Assert.True(m.Count == 1, $"{phase}: {load.Stdout}");
            seconds[phase] = double.Parse(m[0].Groups[1].Value, CultureInfo.InvariantCulture);
        }
        Assert.True(seconds[LoadPhase.ParseValidateCopy] > 0, load.Stdout);
        Assert.True(seconds[LoadPhase.Files] > 0, load.Stdout);
        var wall = LoadTimings.Order.Where(p => !LoadTimings.IsPerFile(p)).Sum(p => seconds[p]);
        Assert.True(wall <= total + 0.05, $"wall phases {wall} s > total {total} s: {load.Stdout}");

        // Without the flag the summary stays as it was.
        var again = await CliProcess.RunAsync(dir.Path, env, "load");
        Assert.DoesNotContain("where the time went", again.Stdout);
    }
}
