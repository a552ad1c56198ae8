using System.Reflection;
using Npgsql;

namespace Retail.Data.Warehouse;

/// <summary>
/// Applies the SQL files shipped in Sql/ in version order (the number each file name starts with), each once,
/// under an advisory lock so concurrent commands do not race. Every file is also written to be re-runnable.
/// On a Citus coordinator it then distributes the tables (<see cref="DistributedLayout"/>), in the same transaction.
/// Then upserts the reference seed into the dimensions (<see cref="ReferenceData"/>), fills the calendar once, and, when asked,
/// makes sure the dashboard's read-only login exists with exactly its rights (a file without a version number,
/// re-run every time).
/// </summary>
public static class WarehouseSchema
{
    private const long MigrationLock = 0x5245_5441_494C_0001; // "RETAIL" 1
    public static readonly DateOnly CalendarStart = new(2000, 1, 1);
    public static readonly DateOnly CalendarEnd = new(2045, 12, 31);

    public static IReadOnlyList<(string Version, string Sql)> Scripts { get; } = LoadScripts();

    private static List<(string, string)> LoadScripts()
    {
        var asm = typeof(WarehouseSchema).Assembly;
        // Numbered files are migrations, applied once; the others are run by name when needed.
        return asm.GetManifestResourceNames()
            .Where(n => n.StartsWith("sql/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (version: Path.GetFileNameWithoutExtension(n), name: n))
            .Where(x => char.IsAsciiDigit(x.version[0]))
            .OrderBy(x => x.version, StringComparer.Ordinal)
            .Select(x => (x.version, Read(asm, x.name)))
            .ToList();
    }

    private static string Read(Assembly asm, string name)
    {
        using var s = asm.GetManifestResourceStream(name)!;
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    /// <summary>A SQL file that is not a migration, e.g. "citus/layout_state.sql".</summary>
    internal static string Resource(string path) => Read(typeof(WarehouseSchema).Assembly, $"sql/{path}");

    /// <summary>Returns how many scripts were applied now (0 when the warehouse was up to date).</summary>
    public static Task<int> ApplyAsync(NpgsqlDataSource db, CancellationToken ct) => ApplyAsync(db, new SchemaOptions(), ct);

    /// <summary>
    /// The CLI's schema step: migrations, the distributed layout on Citus, reference data and (when
    /// <see cref="SchemaOptions.Dashboard"/> is given) the dashboard's login. Returns how many migrations ran now.
    /// </summary>
    public static async Task<int> ApplyAsync(NpgsqlDataSource db, SchemaOptions options, CancellationToken ct)
    {
        var count = await ApplyInTransactionAsync(db, options, ct);
        if (options.Dashboard is { Password: not null } login)
        {
            await DashboardRole.EnsurePasswordAsync(db, login, ct);
        }
        return count;
    }

    private static async Task<int> ApplyInTransactionAsync(NpgsqlDataSource db, SchemaOptions options, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecAsync($"SELECT pg_advisory_xact_lock({MigrationLock})", ct);
        await conn.ExecAsync(Scripts[0].Sql, ct); // creates ops.schema_migrations itself

        var applied = new HashSet<string>();
        await using (var cmd = new NpgsqlCommand("SELECT version FROM ops.schema_migrations", conn))
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                applied.Add(reader.GetString(0));
            }
        }

        var count = 0;
        var advice = new List<string>();
        foreach (var (version, sql) in Scripts.Where(s => !applied.Contains(s.Version)))
        {
            if (AfterUpgrade(sql) is { } after && await HoldsFactsAsync(conn, ct))
            {
                advice.Add($"migration {version} applied: {after}");
            }
            await conn.ExecAsync(sql, ct);
            await using var mark = new NpgsqlCommand("INSERT INTO ops.schema_migrations (version) VALUES ($1)", conn)
            {
                Parameters = { new() { Value = version } },
            };
            await mark.ExecuteNonQueryAsync(ct);
            count++;
        }
        // Before the seed, so reference rows go straight into the distributed tables.
        if (await DistributedLayout.IsCitusAsync(conn, ct))
        {
            await DistributedLayout.ApplyAsync(conn, options.CitusShardCount, Scripts.Single(s => s.Version == "050_views").Sql, ct);
        }
        // Every time, not only after a migration: a store the seed gained since reaches this warehouse now.
        await ReferenceData.UpsertAsync(conn, options.Seed, ct);
        await CalendarDimension.FillAsync(conn, CalendarStart, CalendarEnd, ct);
        if (options.Dashboard is { } dashboard)
        {
            await DashboardRole.EnsureAsync(conn, dashboard, ct);
        }
        await tx.CommitAsync(ct);
        advice.ForEach(a => options.Advise?.Invoke(a));
        return count;
    }

    /// <summary>A migration's "-- after upgrade: ..." line: what a warehouse loaded before it must run next.</summary>
    internal static string? AfterUpgrade(string sql) => sql.Split('\n')
        .Select(l => l.Trim())
        .FirstOrDefault(l => l.StartsWith(AfterUpgradeMarker, StringComparison.Ordinal))?[AfterUpgradeMarker.Length..].Trim();

    private const string AfterUpgradeMarker = "-- after upgrade:";

    private static async Task<bool> HoldsFactsAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var exists = new NpgsqlCommand("SELECT to_regclass('marts.fct_sales') IS NOT NULL", conn);
        if (await exists.ExecuteScalarAsync(ct) is not true)
        {
            return false;
        }
        await using var rows = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM marts.fct_sales)", conn);
        return await rows.ExecuteScalarAsync(ct) is true;
    }
}
