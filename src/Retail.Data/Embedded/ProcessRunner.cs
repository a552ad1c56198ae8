using System.Diagnostics;

namespace Retail.Data.Embedded;

/// <summary>Runs PostgreSQL tools, as the postgres OS user when we are root (initdb and postgres refuse root).</summary>
internal static class ProcessRunner
{
    public static bool RunAsPostgresUser => Environment.IsPrivilegedProcess;

    public sealed record Result(int ExitCode, string Output);

    /// <summary>Runs a tool to completion. <paramref name="environment"/> adds variables for it alone (e.g. PGPASSWORD).</summary>
    public static async Task<Result> RunAsync(string tool, IReadOnlyList<string> args, CancellationToken ct, bool asServerUser = true,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = StartInfo(tool, args, asServerUser, environment);
        using var p = Process.Start(psi) ?? throw new EmbeddedClusterException($"could not start {tool}");
        // pg_ctl is always given -l, so the postmaster never inherits these pipes and reading to the end is safe.
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return new Result(p.ExitCode, ((await stdout) + (await stderr)).Trim());
    }

    /// <summary>
    /// Runs <paramref name="producer"/> | <paramref name="consumer"/> (both as ourselves), writing <paramref name="prefix"/>
    /// into the consumer first and <paramref name="suffix"/> last, the suffix only when the producer succeeded (so a
    /// producer that dies mid-stream never gets its partial output committed). Returns the first failure, else the consumer's result.
    /// </summary>
    public static async Task<Result> PipeAsync((string Tool, IReadOnlyList<string> Args) producer,
        (string Tool, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string>? Environment) consumer, string prefix, string suffix,
        CancellationToken ct)
    {
        var from = StartInfo(producer.Tool, producer.Args, asServerUser: false, null);
        var to = StartInfo(consumer.Tool, consumer.Args, asServerUser: false, consumer.Environment);
        to.RedirectStandardInput = true;
        using var p = Process.Start(from) ?? throw new EmbeddedClusterException($"could not start {producer.Tool}");
        using var c = Process.Start(to) ?? throw new EmbeddedClusterException($"could not start {consumer.Tool}");
        var pErr = p.StandardError.ReadToEndAsync(ct);
        var cOut = c.StandardOutput.ReadToEndAsync(ct);
        var cErr = c.StandardError.ReadToEndAsync(ct);
        try
        {
            await c.StandardInput.WriteAsync(prefix.AsMemory(), ct);
            await c.StandardInput.FlushAsync(ct);
            await p.StandardOutput.BaseStream.CopyToAsync(c.StandardInput.BaseStream, ct);
            await p.WaitForExitAsync(ct);
            if (p.ExitCode == 0)
            {
                await c.StandardInput.WriteAsync(suffix.AsMemory(), ct);
                await c.StandardInput.FlushAsync(ct);
            }
        }
        catch (IOException)
        {
            // The consumer stopped reading (it failed): its exit code and stderr say why.
        }
        finally
        {
            try
            {
                c.StandardInput.Close();
            }
            catch (IOException)
            {
            }
        }
        await c.WaitForExitAsync(ct);
        if (!p.HasExited)
        {
            p.Kill();
        }
        await p.WaitForExitAsync(ct);
        if (c.ExitCode != 0)
        {
            return new Result(c.ExitCode, ((await cOut) + (await cErr)).Trim());
        }
        return p.ExitCode != 0 ? new Result(p.ExitCode, (await pErr).Trim()) : new Result(0, ((await cOut) + (await cErr)).Trim());
    }

    private static ProcessStartInfo StartInfo(string tool, IReadOnlyList<string> args, bool asServerUser,
        IReadOnlyDictionary<string, string>? environment)
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
        // Children never inherit our secret; a tool that needs the password gets it as PGPASSWORD, and only that one.
        Configuration.SecretVariables.RemoveFrom(psi.Environment);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
        return psi;
    }
}
