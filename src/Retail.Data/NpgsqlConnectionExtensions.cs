using Npgsql;

namespace Retail.Data;

public static class NpgsqlConnectionExtensions
{
    /// <summary>Runs a statement that returns nothing we need (SET, locks, DDL) on this connection and its transaction.</summary>
    public static async Task ExecAsync(this NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
