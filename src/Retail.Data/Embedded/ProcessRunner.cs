using System.Diagnostics;

namespace Retail.Data.Embedded;

/// <summary>Runs PostgreSQL tools, as the postgres OS user when we are root (initdb and postgres refuse root).</summary>
internal static class ProcessRunner
{
    public static bool RunAsPostgresUser => Environment.IsPrivilegedProcess;

    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken ct, bool asServerUser = true)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The postgres user may not be able to enter our working directory (e.g. under /root).
            WorkingDirectory = "/",
        };
        if (asServerUser && RunAsPostgresUser)
        {
            psi.FileName = "runuser";
            foreach (var a in new[] { "-u", "postgres", "--", tool })
            {
                psi.ArgumentList.Add(a);
            }
        }
        else
        {
            psi.FileName = tool;
        }
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        // The postmaster inherits this environment and keeps it for its lifetime: no secrets in it.
        Configuration.SecretVariables.RemoveFrom(psi.Environment);

        using var p = Process.Start(psi) ?? throw new EmbeddedClusterException($"could not start {tool}");
        // pg_ctl is always given -l, so the postmaster never inherits these pipes and reading to the end is safe.
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return new Result(p.ExitCode, ((await stdout) + (await stderr)).Trim());
    }
}
