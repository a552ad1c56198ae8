using System.Globalization;
using Npgsql;

namespace Retail.Data.Configuration;

/// <summary>
/// Where the warehouse lives. <see cref="Host"/> null means "the embedded cluster": ./retail starts and
/// owns a private PostgreSQL under <see cref="RetailHome"/>.
/// </summary>
public sealed record DatabaseSettings
{
    public string Name { get; init; } = "retail";
    public string User { get; init; } = "postgres";
    public string? Password { get; init; }
    public string? Host { get; init; }
    public int? Port { get; init; }
    public string RetailHome { get; init; } = Path.GetFullPath(".retail");
    public string? PgBin { get; init; }

    /// <summary>The dashboard's own read-only login (DASHBOARD_DB_USER); never DB_USER.</summary>
    public string DashboardUser { get; init; } = DefaultDashboardUser;

    /// <summary>DASHBOARD_DB_PASSWORD; on a password-protected embedded cluster one is generated when unset.</summary>
    public string? DashboardPassword { get; init; }

    /// <summary>CITUS_SHARD_COUNT: shards per distributed table when the warehouse is first distributed (default: 2 per worker).</summary>
    public int? CitusShardCount { get; init; }

    public const string DefaultDashboardUser = "retail_dashboard";

    public bool IsEmbedded => string.IsNullOrEmpty(Host);

    /// <summary>
    /// Reads DB_* (and RETAIL_HOME, PG_BIN) from a variable lookup; throws <see cref="SettingsException"/> naming the
    /// bad one.
    /// </summary>
    public static DatabaseSettings FromVariables(Func<string, string?> get, string workingDirectory)
    {
        string? Value(string key) => string.IsNullOrWhiteSpace(get(key)) ? null : get(key)!.Trim();

        int? port = null;
        if (Value("DB_PORT") is { } rawPort)
        {
            if (!int.TryParse(rawPort, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            {
                throw new SettingsException($"DB_PORT='{rawPort}' is not a TCP port: set it to a number from 1 to 65535 (in .env or the "
                    + $"environment), or remove it to use the default.");
            }
            port = p;
        }

        var name = Value("DB_NAME") ?? "retail";
        if (!IsIdentifier(name))
        {
            throw new SettingsException($"DB_NAME='{name}' is not a usable database name: use letters, digits and underscores, starting "
                + $"with a letter.");
        }
        var user = Value("DB_USER") ?? "postgres";
        if (!IsIdentifier(user))
        {
            throw new SettingsException($"DB_USER='{user}' is not a usable role name: use letters, digits and underscores, starting with "
                + $"a letter.");
        }

        var dashboardUser = Value("DASHBOARD_DB_USER") ?? DefaultDashboardUser;
        if (!IsIdentifier(dashboardUser) || string.Equals(dashboardUser, user, StringComparison.OrdinalIgnoreCase))
        {
            throw new SettingsException($"DASHBOARD_DB_USER='{dashboardUser}' is not usable: give the dashboard its own read-only role "
                + $"name (letters, digits, underscores; not DB_USER), or remove it to use '{DefaultDashboardUser}'.");
        }

        int? shards = null;
        if (Value("CITUS_SHARD_COUNT") is { } rawShards)
        {
            if (!int.TryParse(rawShards, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 1024)
            {
                throw new SettingsException($"CITUS_SHARD_COUNT='{rawShards}' is not a shard count: set it to a number from 1 to 1024, or "
                    + $"remove it to use 2 shards per worker.");
            }
            shards = n;
        }

        var home = Value("RETAIL_HOME") ?? Path.Combine(workingDirectory, ".retail");
        return new DatabaseSettings
        {
            DashboardUser = dashboardUser.ToLowerInvariant(),
            DashboardPassword = get("DASHBOARD_DB_PASSWORD") is { Length: > 0 } dpw ? dpw : null,
            CitusShardCount = shards,
            Name = name,
            User = user,
            Password = get("DB_PASSWORD") is { Length: > 0 } pw ? pw : null,
            Host = Value("DB_HOST"),
            Port = port,
            RetailHome = Path.GetFullPath(home, workingDirectory),
            PgBin = Value("PG_BIN"),
        };
    }

    internal static bool IsIdentifier(string s) =>
        s.Length is > 0 and < 64 && char.IsAsciiLetter(s[0]) && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>The connection string for a resolved endpoint (embedded clusters resolve host and port at start).</summary>
    public string ConnectionString(string host, int port, string? database = null, string? applicationName = null)
    {
        var b = new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = port,
            Database = database ?? Name,
            Username = User,
            Password = Password,
            ApplicationName = applicationName ?? "retail",
            // Npgsql's default: a busy machine can take seconds to answer a login (scram) under load.
            Timeout = 15,
            // A bulk COPY of a big file can exceed the default; the loader sets its own timeouts.
            CommandTimeout = 0,
            IncludeErrorDetail = false,
        };
        return b.ConnectionString;
    }

    /// <summary>A libpq URL that never carries the password.</summary>
    public static string Url(string user, string host, int port, string database) =>
        $"postgresql://{Uri.EscapeDataString(user)}@{host}:{port.ToString(CultureInfo.InvariantCulture)}/{Uri.EscapeDataString(database)}";

    /// <summary>Password masked in anything we print, whatever put it there.</summary>
    public string Redact(string text)
    {
        foreach (var secret in new[] { Password, DashboardPassword })
        {
            if (!string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }
        return text;
    }

    public override string ToString() =>
        $"DatabaseSettings {{ Name = {Name}, User = {User}, Password = {(Password is null ? "(none)" : "***")}, DashboardUser = "
            + $"{DashboardUser}, DashboardPassword = {(DashboardPassword is null ? "(none)" : "***")}, Host = {Host ?? "(embedded)"}, "
            + $"Port = {Port?.ToString(CultureInfo.InvariantCulture) ?? "(default)"} }}";
}

/// <summary>A setting is missing or malformed; the message names it and says how to fix it.</summary>
public sealed class SettingsException(string message) : Exception(message);
