using System.Net.Sockets;
using Npgsql;
using Retail.Data.Embedded;

namespace Retail.Data.Configuration;

/// <summary>A resolved server: for the embedded cluster, after it was started.</summary>
public sealed record WarehouseEndpoint(DatabaseSettings Settings, string Host, int Port)
{
    public string Url => DatabaseSettings.Url(Settings.User, Host, Port, Settings.Name);

    public string ConnectionString(string? applicationName = null) => Settings.ConnectionString(Host, Port,
        applicationName: applicationName);

    /// <summary>The dashboard's read-only login for this server (its password generated on first use where needed).</summary>
    public DashboardLogin Dashboard => DashboardLogin.For(Settings);

    /// <summary>The same server and database, logged in as the dashboard's read-only role.</summary>
    public string DashboardConnectionString(string? applicationName = null)
    {
        var login = Dashboard;
        return new NpgsqlConnectionStringBuilder(ConnectionString(applicationName)) { Username = login.User,
            Password = login.Password }.ConnectionString;
    }

    /// <summary>Starts the embedded cluster when DB_HOST is unset; otherwise just names the configured server.</summary>
    public static async Task<WarehouseEndpoint> ResolveAsync(DatabaseSettings settings, CancellationToken ct)
    {
        if (!settings.IsEmbedded)
        {
            return new WarehouseEndpoint(settings, settings.Host!, settings.Port ?? 5432);
        }
        var port = await new EmbeddedCluster(settings).StartAsync(ct);
        return new WarehouseEndpoint(settings, EmbeddedCluster.Host, port);
    }

    /// <summary>One data source per process, as Npgsql recommends.</summary>
    public NpgsqlDataSource CreateDataSource(string? applicationName = null, int maxPoolSize = 20)
    {
        var b = new NpgsqlDataSourceBuilder(ConnectionString(applicationName));
        b.ConnectionStringBuilder.MaxPoolSize = maxPoolSize;
        return b.Build();
    }

    /// <summary>Turns connection failures into one line that says what to fix, with the password masked.</summary>
    public string Describe(Exception e)
    {
        var where = $"{Host}:{Port}";
        var message = e switch
        {
            PostgresException { SqlState: PostgresErrorCodes.InvalidPassword } =>
                $"PostgreSQL at {where} rejected the password for user '{Settings.User}': fix DB_PASSWORD in .env (or the environment).",
            PostgresException { SqlState: PostgresErrorCodes.InvalidAuthorizationSpecification } =>
                $"PostgreSQL at {where} refused user '{Settings.User}': check DB_USER and the server's pg_hba.conf.",
            PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } =>
                $"database '{Settings.Name}' does not exist on {where}: create it or fix DB_NAME.",
            PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } pe =>
                $"permission denied on {where} for user '{Settings.User}': {pe.MessageText}. Grant the privilege or use another DB_USER.",
            NpgsqlException { InnerException: TimeoutException } or TimeoutException when Settings.IsEmbedded =>
                $"timed out waiting for the embedded PostgreSQL at {where} (connecting or answering; the machine may be overloaded): "
                    + $"check it with './retail db status' and run the command again.",
            NpgsqlException { InnerException: TimeoutException } or TimeoutException =>
                $"timed out waiting for PostgreSQL at {where} (connecting or answering; the server or the network may be overloaded): "
                    + $"check the server, DB_HOST and DB_PORT, and run the command again.",
            NpgsqlException { InnerException: SocketException } or SocketException when Settings.IsEmbedded =>
                $"the embedded PostgreSQL at {where} is not answering (stopped?): start it with './retail db start' and run the command "
                    + $"again; the load resumes where it stopped.",
            NpgsqlException { InnerException: SocketException } or SocketException =>
                $"cannot reach PostgreSQL at {where}: is the server running? Check DB_HOST and DB_PORT in .env, or unset DB_HOST to use "
                    + $"the embedded cluster.",
            PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                or PostgresErrorCodes.CannotConnectNow } when Settings.IsEmbedded =>
                $"the embedded PostgreSQL at {where} shut down and did not come back within {TransientRetry.OutageBudget.TotalSeconds:0} "
                    + $"s: start it with './retail db start' and run the command again; the load resumes where it stopped.",
            PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                or PostgresErrorCodes.CannotConnectNow } =>
                $"PostgreSQL at {where} shut down and did not come back within {TransientRetry.OutageBudget.TotalSeconds:0} s: check the "
                    + $"server and run the command again; the load resumes where it stopped.",
            PostgresException { SqlState: PostgresErrorCodes.DiskFull } pe when Settings.IsEmbedded =>
                $"the embedded PostgreSQL at {where} ran out of disk space ({pe.MessageText}): free space on the disk that holds "
                    + $"RETAIL_HOME (or point RETAIL_HOME at a larger one) and run the command again; finished files stay loaded.",
            PostgresException { SqlState: PostgresErrorCodes.DiskFull } pe =>
                $"PostgreSQL at {where} ran out of disk space ({pe.MessageText}): free space on the server and run the command again; "
                    + $"finished files stay loaded.",
            NpgsqlException ne when ne.InnerException is IOException =>
                $"the connection to PostgreSQL at {where} dropped: {ne.InnerException.Message}. Run the command again; finished files "
                    + $"stay loaded.",
            _ => e.Message,
        };
        return Settings.Redact(message);
    }
}
