using Retail.Tests.Infrastructure;

namespace Retail.Tests.Operations;

/// <summary>
/// The first ten minutes: prerequisites checked before any work, the set-up script's one-line instructions, and the
/// launcher's first build (progress, elapsed time, a clear failure line, instant later starts). The launcher runs for
/// real against a fake 'dotnet' on PATH, so its output is tested without a one-minute Release build.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SetupTests
{
    [Fact]
    public async Task Demo_without_postgres_binaries_fails_with_one_line_before_writing_any_file()
    {
        using var dir = new TempDir();
        using var emptyBin = new TempDir();
        var r = await CliProcess.RunAsync(dir.Path, new Dictionary<string, string?> { ["PG_BIN"] = emptyBin.Path }, "demo", "--rows",
            "30000", "--no-serve");
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Contains($"PG_BIN='{emptyBin.Path}' holds no pg_ctl", line);
        // Nothing generated, no cluster folder: the check came first.
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Without_root_the_setup_script_prints_the_one_command_to_run()
    {
        using var dir = new TempDir();
        // 'id' shadowed to report a normal user; nothing is installed.
        var r = await Shell.RunAsync(dir.Path, new Dictionary<string, string?>(), "bash", "-c",
            $"source '{Shell.RepoRoot}/scripts/prerequisites.sh'; id() {{ echo 1000; }}; retail_need=(postgresql tzdata); "
                + $"retail_install_needed");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: missing postgresql tzdata: run 'sudo apt-get update && sudo apt-get install -y --no-install-recommends "
            + "postgresql tzdata', then run again", r.Stderr.Trim());
    }

    [Fact]
    public async Task Without_a_dotnet_sdk_package_the_setup_script_says_where_to_get_it()
    {
        using var dir = new TempDir();
        var bin = Path.Combine(dir.Path, "bin");
        Directory.CreateDirectory(bin);
        // A PATH with no dotnet, and an apt that does not carry it (as on Debian).
        Shell.WriteExecutable(Path.Combine(bin, "apt-cache"),
            "#!/bin/bash\nprintf 'dotnet-sdk-10.0:\\n  Installed: (none)\\n  Candidate: (none)\\n'\n");
        foreach (var tool in new[] { "sed", "grep" })
        {
            File.CreateSymbolicLink(Path.Combine(bin, tool), $"/usr/bin/{tool}");
        }
        var r = await Shell.RunAsync(dir.Path, new Dictionary<string, string?> { ["PATH"] = bin }, "/bin/bash", "-c",
            $"source '{Shell.RepoRoot}/scripts/prerequisites.sh'; retail_need=(); retail_check_dotnet");
        Assert.Equal(1, r.ExitCode);
        var line = Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Contains("the .NET 10 SDK is not installed", line);
        Assert.Contains("https://learn.microsoft.com/dotnet/core/install/linux", line);
    }

    private const string FakeDotnet = """
        #!/usr/bin/env bash
        # Stands in for the SDK: records each call, prints what MSBuild prints, fails on request.
        echo "$1" >> "$FAKE_CALLS"
        case "$1" in
          restore)
            sleep 0.3
            if [[ "${FAKE_FAIL:-}" == restore ]]; then
              echo "/src/Retail.Cli/Retail.Cli.csproj : error NU1101: Unable to find package Nope. [/src/Retail.Cli/Retail.Cli.csproj]"
              exit 1
            fi ;;
          build)
            out=""; while [[ $# -gt 0 ]]; do [[ "$1" == -o ]] && out="$2"; shift; done
            for p in Retail.Core Retail.Data Retail.Cli; do
              sleep 0.2
              if [[ "${FAKE_FAIL:-}" == build && $p == Retail.Data ]]; then
                echo "/src/Retail.Data/Thing.cs(3,5): error CS1002: ; expected [/src/Retail.Data/Retail.Data.csproj]"; exit 1
              fi
              echo "  $p -> $out/$p.dll"
            done
            touch "$out/retail.dll" ;;
          *) echo "ran $*" ;;
        esac
        """;

    private static (string Repo, Dictionary<string, string?> Env, string Calls) FakeCheckout(TempDir dir)
    {
        var repo = Path.Combine(dir.Path, "repo");
        Directory.CreateDirectory(Path.Combine(repo, "scripts"));
        File.Copy(Path.Combine(Shell.RepoRoot, "retail"), Path.Combine(repo, "retail"));
        File.SetUnixFileMode(Path.Combine(repo, "retail"), File.GetUnixFileMode(Path.Combine(Shell.RepoRoot, "retail")));
        File.Copy(Path.Combine(Shell.RepoRoot, "scripts", "prerequisites.sh"), Path.Combine(repo, "scripts", "prerequisites.sh"));
        foreach (var project in new[] { "Retail.Core", "Retail.Data", "Retail.Cli" })
        {
            Directory.CreateDirectory(Path.Combine(repo, "src", project));
            File.WriteAllText(Path.Combine(repo, "src", project, $"{project}.csproj"), "<Project />");
        }
        File.WriteAllText(Path.Combine(repo, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(repo, "Directory.Packages.props"), "<Project />");
        var bin = Path.Combine(dir.Path, "bin");
        Directory.CreateDirectory(bin);
        Shell.WriteExecutable(Path.Combine(bin, "dotnet"), FakeDotnet);
        var calls = Path.Combine(dir.Path, "calls.txt");
        var env = new Dictionary<string, string?>
        {
            ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}",
            ["FAKE_CALLS"] = calls,
        };
        return (repo, env, calls);
    }

    [Fact]
    public async Task First_build_shows_restore_and_build_progress_with_elapsed_time_and_later_starts_do_not_build()
    {
        using var dir = new TempDir();
        var (repo, env, calls) = FakeCheckout(dir);
        var first = await Shell.RunAsync(repo, env, Path.Combine(repo, "retail"), "--help");
        Assert.True(first.ExitCode == 0, first.All);
        var lines = first.Stderr.Trim().Split('\n');
        Assert.StartsWith($"retail: first build (Release) into {repo}/.retail/build", lines[0]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^  restoring packages: done in \d+\.\ds$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^  building: 3/3 projects, done in \d+\.\ds$"));
        Assert.Matches(@"^retail: built in \d+\.\ds$", lines[^1]);
        Assert.Equal($"ran {repo}/.retail/build/retail.dll --help", first.Stdout.Trim());
        Assert.Equal(["restore", "build", $"{repo}/.retail/build/retail.dll"], await File.ReadAllLinesAsync(calls));

        // Later starts: no restore, no build, nothing on stderr.
        var second = await Shell.RunAsync(repo, env, Path.Combine(repo, "retail"), "--help");
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Equal("", second.Stderr);
        Assert.Equal(["restore", "build", $"{repo}/.retail/build/retail.dll", $"{repo}/.retail/build/retail.dll"],
            await File.ReadAllLinesAsync(calls));

        // A changed source rebuilds, and says why.
        File.SetLastWriteTimeUtc(Path.Combine(repo, "src", "Retail.Data", "Retail.Data.csproj"), DateTime.UtcNow.AddMinutes(1));
        var third = await Shell.RunAsync(repo, env, Path.Combine(repo, "retail"), "--help");
        Assert.True(third.ExitCode == 0, third.All);
        Assert.StartsWith("retail: sources changed, rebuilding", third.Stderr);
    }

    [Fact]
    public async Task A_failed_first_build_ends_with_the_compiler_error_and_one_clear_line_and_is_retried_next_time()
    {
        using var dir = new TempDir();
        var (repo, env, calls) = FakeCheckout(dir);
        var build = Path.Combine(dir.Path, "elsewhere");
        env["RETAIL_BUILD_DIR"] = build;
        env["FAKE_FAIL"] = "build";
        var failed = await Shell.RunAsync(repo, env, Path.Combine(repo, "retail"), "--help");
        Assert.Equal(1, failed.ExitCode);
        Assert.Equal("", failed.Stdout);
        var lines = failed.Stderr.Trim().Split('\n');
        Assert.Contains("/src/Retail.Data/Thing.cs(3,5): error CS1002: ; expected", lines);
        Assert.Matches($@"^error: the build failed after \d+\.\ds \(errors above\): full log in {build}/build\.log$", lines[^1]);
        Assert.False(File.Exists(Path.Combine(build, ".source-stamp")));

        env["FAKE_FAIL"] = "restore";
        var restore = await Shell.RunAsync(repo, env, Path.Combine(repo, "retail"), "--help");
        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("error NU1101: Unable to find package Nope.", restore.Stderr);
        Assert.Matches(@"error: restoring NuGet packages failed after \d+\.\ds .*restore\.log\n$", restore.Stderr);

        env.Remove("FAKE_FAIL");
        var fixedBuild = await Shell.RunAsync(repo, env, Path.Combine(repo, "retail"), "--help");
        Assert.True(fixedBuild.ExitCode == 0, fixedBuild.All);
        Assert.Equal(["restore", "build", "restore", "restore", "build", $"{build}/retail.dll"], await File.ReadAllLinesAsync(calls));
    }
}
