using Retail.Data.Configuration;
using Retail.Data.Embedded;

namespace Retail.Data.Backup;

/// <summary>
/// pg_dump and pg_restore for the warehouse: the embedded cluster's own binaries, else (DB_HOST) PG_BIN, else the
/// oldest installed /usr/lib/postgresql/N/bin not older than the server (pg_dump refuses newer servers), else PATH.
/// </summary>
public sealed record PostgresClientTools(string PgDump, string PgRestore, string Psql)
{
    public static PostgresClientTools Locate(DatabaseSettings settings, int serverMajor)
    {
        if (settings.IsEmbedded)
        {
            var directory = PostgresBinaries.Locate(settings.PgBin).Directory;
            return In(directory) ?? throw new EmbeddedClusterException(
                $"the embedded cluster's binaries ({directory}) lack pg_dump, pg_restore or psql: install postgresql-client.");
        }
        if (!string.IsNullOrEmpty(settings.PgBin))
        {
            return In(settings.PgBin)
                ?? throw new EmbeddedClusterException($"PG_BIN='{settings.PgBin}' lacks pg_dump, pg_restore or psql: point PG_BIN at a "
                    + $"PostgreSQL bin folder (e.g. /usr/lib/postgresql/{serverMajor}/bin).");
        }
        const string debianRoot = "/usr/lib/postgresql";
        var installed = Directory.Exists(debianRoot)
            ? Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(x => x.Version > 0 && In(x.Dir) is not null)
                .OrderBy(x => x.Version)
                .ToList()
            : [];
        if (installed.FirstOrDefault(x => x.Version >= serverMajor) is { Dir: not null } match)
        {
            return In(match.Dir)!;
        }
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(In)
            .FirstOrDefault(t => t is not null);
        if (onPath is not null && installed.Count == 0)
        {
            return onPath;
        }
        throw new EmbeddedClusterException(installed.Count > 0
            ? $"the server runs PostgreSQL {serverMajor} but the newest pg_dump here is {installed[^1].Version}, which cannot dump it: "
                + $"install postgresql-client-{serverMajor}, or set PG_BIN to its bin folder."
            : $"pg_dump, pg_restore and psql were not found (PG_BIN, /usr/lib/postgresql/*/bin, PATH): install them with 'apt-get install "
                + $"postgresql-client-{serverMajor}' (Debian/Ubuntu), or set PG_BIN.");
    }

    private static PostgresClientTools? In(string dir) =>
        new[] { "pg_dump", "pg_restore", "psql" }.All(t => File.Exists(Path.Combine(dir, t)))
            ? new PostgresClientTools(Path.Combine(dir, "pg_dump"), Path.Combine(dir, "pg_restore"), Path.Combine(dir, "psql"))
            : null;
}
