using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Retail.Data.Configuration;

namespace Retail.Data.Warehouse;

/// <summary>The dashboard's read-only LOGIN role: its rights (ops/dashboard_role.sql) and its password.</summary>
internal static class DashboardRole
{
    public static async Task EnsureAsync(NpgsqlConnection conn, DashboardLogin login, CancellationToken ct)
    {
        await using (var set = new NpgsqlCommand("SELECT set_config('retail.dashboard_role', $1, true)",
            conn) { Parameters = { new() { Value = login.User } } })
        {
            await set.ExecuteNonQueryAsync(ct);
        }
        await conn.ExecAsync(WarehouseSchema.Resource("ops/dashboard_role.sql"), ct);
    }

    /// <summary>
    /// Logs in as the role with its password; only when the server refuses it is the password (re)set. The
    /// statement carries a SCRAM verifier computed here, never the password, so no server log can show it.
    /// </summary>
    public static async Task EnsurePasswordAsync(NpgsqlDataSource db, DashboardLogin login, CancellationToken ct)
    {
        var cs = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = login.User, Password = login.Password,
            Pooling = false };
        try
        {
            await using var probe = new NpgsqlConnection(cs.ConnectionString);
            await probe.OpenAsync(ct);
            return;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidPassword)
        {
        }
        await using var conn = await db.OpenConnectionAsync(ct);
        // Identifier checked by DatabaseSettings; the verifier is base64 with '$' and ':' only.
        var verifier = ScramVerifier(login.Password!, RandomNumberGenerator.GetBytes(16));
        await conn.ExecAsync($"ALTER ROLE \"{login.User}\" PASSWORD '{verifier}'", ct);
    }

    /// <summary>PostgreSQL's stored form of a SCRAM-SHA-256 password (RFC 5802/7677), as libpq's PQencryptPasswordConn builds it.</summary>
    internal static string ScramVerifier(string password, byte[] salt, int iterations = 4096)
    {
        // SASLprep's normalisation step; for ASCII passwords (and every generated one) it changes nothing.
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormKC)), salt, iterations,
            HashAlgorithmName.SHA256, 32);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${iterations}:{Convert.ToBase64String(salt)}"
            + $"${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
