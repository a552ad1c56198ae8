using System.Diagnostics;
using Retail.Data.Configuration;

namespace Retail.Tests.Infrastructure;

/// <summary>Runs the real CLI (retail.dll from the build output) as a child process, as a user would.</summary>
public static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "retail.dll");

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Stderr;
    }

    public static Process Start(string workingDirectory, IDictionary<string, string?> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var key in new[] { "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD", "RETAIL_HOME", "DASHBOARD_DB_USER",
            "DASHBOARD_DB_PASSWORD", "CITUS_SHARD_COUNT", "DASHBOARD_USER", "DASHBOARD_PASSWORD" })
        {
            psi.Environment.Remove(key);
        }
        // As the launcher (./retail) runs it: the dashboard with tiered compilation on and the server collector (unless
        // set), the bulk commands without and with the collector's memory-footprint latency level. Fully compiled, each
        // of the suite's ~60 dashboard starts took 4-5 CPU seconds instead of ~2.
        var defaults = args.Contains("dashboard")
            ? new[] { ("DOTNET_TieredCompilation", "1"), ("DOTNET_gcServer", "1") }
            : [("DOTNET_GCLatencyLevel", "0")];
        foreach (var (key, value) in defaults)
        {
            if (!psi.Environment.TryGetValue(key, out var set) || string.IsNullOrEmpty(set))
            {
                psi.Environment[key] = value;
            }
        }
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }
        return Process.Start(psi)!;
    }

    public static async Task<Result> RunAsync(string workingDirectory, IDictionary<string, string?> env, params string[] args)
    {
        using var p = Start(workingDirectory, env, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await p.WaitForExitAsync(timeout.Token);
        return new Result(p.ExitCode, await stdout, await stderr);
    }

    public static Dictionary<string, string?> Env(DatabaseSettings db) => new()
    {
        ["DB_HOST"] = db.Host,
        ["DB_PORT"] = db.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["DB_NAME"] = db.Name,
        ["DB_USER"] = db.User,
    };
}
