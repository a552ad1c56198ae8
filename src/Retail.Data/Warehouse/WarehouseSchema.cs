using System.Reflection;
using Npgsql;
using NpgsqlTypes;
using Retail.Core.Catalogue;
using Retail.Core.Formats;

namespace Retail.Data.Warehouse;

/// <summary>
/// Applies the SQL files shipped in Sql/ in version order (the number each file name starts with), each once,
/// under an advisory lock so concurrent commands do not race. Every file is also written to be re-runnable.
/// On a Citus coordinator it then distributes the tables (<see cref="DistributedLayout"/>), in the same transaction.
/// Then seeds the reference dimensions (stores, categories, payment methods, channels, calendar), and, when asked,
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
        foreach (var (version, sql) in Scripts.Where(s => !applied.Contains(s.Version)))
        {
            await conn.ExecAsync(sql, ct);
            await using var mark = new NpgsqlCommand("INSERT INTO ops.schema_migrations (version) VALUES ($1)", conn) { Parameters = { new() { Value = version } } };
            await mark.ExecuteNonQueryAsync(ct);
            count++;
        }
        // Before the seed, so reference rows go straight into the distributed tables.
        if (await DistributedLayout.IsCitusAsync(conn, ct))
        {
            await DistributedLayout.ApplyAsync(conn, options.CitusShardCount, Scripts.Single(s => s.Version == "050_views").Sql, ct);
        }
        if (count > 0)
        {
            await SeedReferenceDataAsync(conn, ct);
        }
        if (options.Dashboard is { } dashboard)
        {
            await DashboardRole.EnsureAsync(conn, dashboard, ct);
        }
        await tx.CommitAsync(ct);
        return count;
    }


    /// <summary>Reference data the chain defines: idempotent inserts.</summary>
    private static async Task SeedReferenceDataAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        foreach (var s in StoreCatalogue.All)
        {
            await using var cmd = new NpgsqlCommand(
                "INSERT INTO marts.dim_store VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING", conn)
            {
                Parameters = { new() { Value = s.Key }, new() { Value = s.Code }, new() { Value = s.Name }, new() { Value = s.Town }, new() { Value = s.Postcode }, new() { Value = s.Format }, new() { Value = s.OpenedOn } },
            };
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var categories = ProductCatalogue.Categories;
        for (var i = 0; i < categories.Count; i++)
        {
            await InsertLookup(conn, "marts.dim_category", (short)(i + 1), categories[i].Name, ct);
        }
        for (var i = 0; i < SalesCsv.PaymentMethods.Length; i++)
        {
            await InsertLookup(conn, "marts.dim_payment_method", (short)(i + 1), SalesCsv.PaymentMethods[i], ct);
        }
        for (var i = 0; i < SalesCsv.Channels.Length; i++)
        {
            await InsertLookup(conn, "marts.dim_channel", (short)(i + 1), SalesCsv.Channels[i], ct);
        }

        await using (var any = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM marts.dim_date)", conn))
        {
            if ((bool)(await any.ExecuteScalarAsync(ct))!)
            {
                return;
            }
        }
        await using var import = await conn.BeginBinaryImportAsync(
            "COPY marts.dim_date (date_key, year, quarter, month, month_name, day_of_month, iso_day_of_week, day_name, iso_week, iso_year, is_weekend, is_uk_bank_holiday, same_day_last_year) FROM STDIN (FORMAT BINARY)", ct);
        for (var d = CalendarStart; d <= CalendarEnd; d = d.AddDays(1))
        {
            var dt = d.ToDateTime(TimeOnly.MinValue);
            await import.StartRowAsync(ct);
            await import.WriteAsync(d, NpgsqlDbType.Date, ct);
            await import.WriteAsync((short)d.Year, NpgsqlDbType.Smallint, ct);
            await import.WriteAsync((short)(((d.Month - 1) / 3) + 1), NpgsqlDbType.Smallint, ct);
            await import.WriteAsync((short)d.Month, NpgsqlDbType.Smallint, ct);
            await import.WriteAsync(dt.ToString("MMMM", System.Globalization.CultureInfo.InvariantCulture), NpgsqlDbType.Text, ct);
            await import.WriteAsync((short)d.Day, NpgsqlDbType.Smallint, ct);
            await import.WriteAsync((short)(d.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)d.DayOfWeek), NpgsqlDbType.Smallint, ct);
            await import.WriteAsync(d.DayOfWeek.ToString(), NpgsqlDbType.Text, ct);
            await import.WriteAsync((short)System.Globalization.ISOWeek.GetWeekOfYear(dt), NpgsqlDbType.Smallint, ct);
            await import.WriteAsync((short)System.Globalization.ISOWeek.GetYear(dt), NpgsqlDbType.Smallint, ct);
            await import.WriteAsync(d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday, NpgsqlDbType.Boolean, ct);
            await import.WriteAsync(UkCalendar.IsBankHoliday(d), NpgsqlDbType.Boolean, ct);
            // Same weekday a year earlier (364 days), which is how retailers compare like for like.
            await import.WriteAsync(d.AddDays(-364), NpgsqlDbType.Date, ct);
        }
        await import.CompleteAsync(ct);
    }

    private static async Task InsertLookup(NpgsqlConnection conn, string table, short key, string value, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"INSERT INTO {table} VALUES ($1, $2) ON CONFLICT DO NOTHING", conn)
        {
            Parameters = { new() { Value = key }, new() { Value = value } },
        };
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
