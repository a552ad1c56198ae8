using System.Net.Sockets;
using Npgsql;

namespace Retail.Data;

/// <summary>What a database failure means, decided by exception type and SqlState, never by message text.</summary>
public static class DatabaseErrors
{
    /// <summary>
    /// The server cannot be reached or used right now: refused, dropped or timed-out connections, a server shutting
    /// down or starting (57P01–57P03), the connection-exception class (08) and too many connections (53300).
    /// </summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        PostgresException pe => pe.SqlState.StartsWith("08", StringComparison.Ordinal) || pe.SqlState is PostgresErrorCodes.AdminShutdown
            or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections,
        NpgsqlException ne => ne.IsTransient || ne.InnerException is IOException or SocketException or TimeoutException,
        SocketException or TimeoutException => true,
        _ => false,
    };

    /// <summary>
    /// Unavailable, or any other failure Npgsql or the server reported (bad password, missing database, no privilege…).
    /// </summary>
    public static bool IsDatabaseError(Exception e) => e is NpgsqlException || IsUnavailable(e);
}
