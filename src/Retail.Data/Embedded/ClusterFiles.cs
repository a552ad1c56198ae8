using System.Security.Cryptography;
using System.Text;

namespace Retail.Data.Embedded;

/// <summary>Where the embedded cluster's files live and who owns them (the server runs as 'postgres' when we are root).</summary>
internal static class ClusterFiles
{
    /// <summary>
    /// As root the server runs as 'postgres', which must be able to reach the data directory. When RETAIL_HOME
    /// sits somewhere it cannot enter (e.g. under /root), the cluster lives under /var/tmp instead, keyed by RETAIL_HOME.
    /// </summary>
    public static string ResolveDirectory(string stateDirectory)
    {
        if (OperatingSystem.IsWindows() || !ProcessRunner.RunAsPostgresUser || ServerUserCanTraverse(stateDirectory))
        {
            return stateDirectory;
        }
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stateDirectory)))[..12];
        return Path.Combine("/var/tmp", $"retail-pg-{key}");
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static bool ServerUserCanTraverse(string directory)
    {
        // Every existing ancestor must be world- or group-executable for a non-owner like postgres.
        for (var d = new DirectoryInfo(directory); d is not null; d = d.Parent)
        {
            if (!d.Exists)
            {
                continue;
            }
            var mode = File.GetUnixFileMode(d.FullName);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                return false;
            }
        }
        return true;
    }

    public static async Task ChownToServerUserAsync(string path, CancellationToken ct)
    {
        if (!ProcessRunner.RunAsPostgresUser)
        {
            return;
        }
        var r = await ProcessRunner.RunAsync("chown", ["postgres:postgres", path], ct, asServerUser: false);
        if (r.ExitCode != 0)
        {
            throw new EmbeddedClusterException($"could not hand {path} to the postgres user: {r.Output}");
        }
    }

    /// <summary>Deletes a postmaster.pid whose pid is not a running postgres (pg_ctl status said "not running").</summary>
    public static void RemoveStalePidFile(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return;
        }
        // pg_ctl status said "not running"; a leftover pid file whose pid now belongs to another process
        // (common after a reboot or in containers) would make postgres refuse to start.
        var first = File.ReadLines(pidFile).FirstOrDefault();
        if (int.TryParse(first, out var pid) && IsPostgresProcess(pid))
        {
            return;
        }
        File.Delete(pidFile);
    }

    private static bool IsPostgresProcess(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("postgres", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }
}
