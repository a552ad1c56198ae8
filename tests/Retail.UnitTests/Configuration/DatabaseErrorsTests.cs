using System.Net.Sockets;
using Npgsql;
using Retail.Data;

namespace Retail.UnitTests.Configuration;

public sealed class DatabaseErrorsTests
{
    private static PostgresException Server(string sqlState) => new("some text", "FATAL", "FATAL", sqlState);

    [Theory]
    [InlineData("57P01")] // admin_shutdown
    [InlineData("57P03")] // cannot_connect_now
    [InlineData("08006")] // connection_failure
    [InlineData("53300")] // too_many_connections
    public void Server_states_that_mean_come_back_later_are_unavailable(string sqlState)
    {
        Assert.True(DatabaseErrors.IsUnavailable(Server(sqlState)));
        Assert.True(DatabaseErrors.IsDatabaseError(Server(sqlState)));
    }

    [Theory]
    [InlineData("28P01")] // invalid_password
    [InlineData("3D000")] // invalid_catalog_name
    [InlineData("42P01")] // undefined_table
    public void Errors_the_server_reports_about_the_request_are_not_unavailability(string sqlState)
    {
        Assert.False(DatabaseErrors.IsUnavailable(Server(sqlState)));
        Assert.True(DatabaseErrors.IsDatabaseError(Server(sqlState)));
    }

    [Fact]
    public void Client_side_connection_failures_are_unavailable_whatever_their_message()
    {
        Assert.True(DatabaseErrors.IsUnavailable(new NpgsqlException("x", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(DatabaseErrors.IsUnavailable(new NpgsqlException("x", new IOException("x"))));
        Assert.True(DatabaseErrors.IsUnavailable(new NpgsqlException("x", new TimeoutException())));
        Assert.True(DatabaseErrors.IsUnavailable(new TimeoutException()));
        // Same words, wrong type: text is never matched.
        Assert.False(DatabaseErrors.IsUnavailable(new InvalidOperationException("connection refused: server unavailable")));
        Assert.False(DatabaseErrors.IsDatabaseError(new InvalidOperationException("connection refused")));
    }
}
