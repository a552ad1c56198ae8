namespace Retail.Data.Embedded;

/// <summary>The PostgreSQL server tools (initdb, pg_ctl, psql) the embedded cluster runs.</summary>
public sealed record PostgresBinaries(string Directory)
{
    public string InitDb => Path.Combine(Directory, "initdb");
    public string PgCtl => Path.Combine(Directory, "pg_ctl");
    public string Psql => File.Exists(Path.Combine(Directory, "psql")) ? Path.Combine(Directory, "psql") : "psql";

    /// <summary>PG_BIN, else the newest /usr/lib/postgresql/*/bin, else pg_ctl on PATH.</summary>
    public static PostgresBinaries Locate(string? pgBin)
    {
        if (!string.IsNullOrEmpty(pgBin))
        {
            return File.Exists(Path.Combine(pgBin, "pg_ctl"))
                ? new PostgresBinaries(pgBin)
                : throw new EmbeddedClusterException($"PG_BIN='{pgBin}' holds no pg_ctl: point PG_BIN at a PostgreSQL bin folder (e.g. "
                    + $"/usr/lib/postgresql/15/bin).");
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (System.IO.Directory.Exists(debianRoot))
        {
            var newest = System.IO.Directory.GetDirectories(debianRoot)
                .Select(d => (dir: Path.Combine(d, "bin"), version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(x => File.Exists(Path.Combine(x.dir, "pg_ctl")))
                .OrderByDescending(x => x.version)
                .FirstOrDefault();
            if (newest.dir is not null)
            {
                return new PostgresBinaries(newest.dir);
            }
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "pg_ctl")));
        return onPath is not null
            ? new PostgresBinaries(onPath)
            : throw new EmbeddedClusterException(
                "No PostgreSQL server binaries found (looked at PG_BIN, /usr/lib/postgresql/*/bin and PATH): " +
                "install them with 'apt-get install postgresql' (Debian/Ubuntu), or set DB_HOST in .env to use an existing server, " +
                "or start one with 'docker compose up -d db'.");
    }
}

/// <summary>The embedded cluster could not be found, created or started; the message says what to do.</summary>
public sealed class EmbeddedClusterException(string message) : Exception(message);
