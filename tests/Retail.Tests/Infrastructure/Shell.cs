using System.Diagnostics;

namespace Retail.Tests.Infrastructure;

/// <summary>Runs bash scripts of the repository (the launcher, the shared set-up script) as a user would.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class Shell
{
    /// <summary>The checkout these tests were built from: the folder holding Retail.slnx and the launcher.</summary>
    public static string RepoRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Retail.slnx")) && File.Exists(Path.Combine(d.FullName, "retail")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException($"no checkout (Retail.slnx + retail) above {AppContext.BaseDirectory}");
    }

    public static async Task<CliProcess.Result> RunAsync(string workingDirectory, IDictionary<string, string?> env, string file,
        params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var key in new[] { "DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD", "RETAIL_HOME", "RETAIL_BUILD_DIR",
            "PG_BIN" })
        {
            psi.Environment.Remove(key);
        }
        foreach (var (k, v) in env)
        {
            psi.Environment[k] = v;
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await p.WaitForExitAsync(timeout.Token);
        return new CliProcess.Result(p.ExitCode, await stdout, await stderr);
    }

    public static void WriteExecutable(string path, string text)
    {
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
