using Npgsql;

namespace Retail.Data.Operations;

/// <summary>What the server says about itself, for <c>retail db status</c>.</summary>
public static class ServerInfo
{
    public static async Task<string> VersionAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT version()");
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
