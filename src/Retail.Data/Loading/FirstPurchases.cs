using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Retail.Data.Loading;

/// <summary>
/// Each loyalty customer's first published purchase (marts.customer_first_purchase) and the daily new-customer counts
/// the dashboard sums (marts.agg_new_customers_daily), migration 124. Kept in SQL, set-based, in the transaction that
/// publishes or replaces a batch: the loader holds no per-customer state. One lock serialises every change to them, so
/// two publishes never move the same customer's counts from stale reads.
/// </summary>
public static class FirstPurchases
{
    private const long Lock = 0x5245_5441_494C_0124; // "RETAIL" + migration 124

    private static readonly string[] PublishSql = Statements("customers/publish_first_purchases.sql");
    private static readonly string[] ReplaceSql = Statements("customers/replace_first_purchases.sql");
    private static readonly string[] RederiveSql = Statements("customers/rederive_first_purchases.sql");

    /// <summary>In the caller's transaction: these batches were just published; their customers' first purchases follow.</summary>
    public static async Task PublishAsync(NpgsqlConnection conn, IReadOnlyCollection<int> batches, CancellationToken ct)
    {
        if (batches.Count == 0)
        {
            return;
        }
        await LockAsync(conn, ct);
        foreach (var sql in PublishSql)
        {
            await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
            if (sql.Contains("$1", StringComparison.Ordinal))
            {
                cmd.Parameters.Add(new NpgsqlParameter
                {
                    Value = batches.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer,
                });
            }
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// In the forced reload's transaction, after the batch's facts were deleted: its customers' first purchases move to
    /// their next published purchase (or go). Costs a scan of the facts from the earliest such purchase on.
    /// </summary>
    internal static async Task ReplaceAsync(NpgsqlConnection conn, int batchId, CancellationToken ct)
    {
        await LockAsync(conn, ct);
        var batch = batchId.ToString(CultureInfo.InvariantCulture);
        foreach (var sql in ReplaceSql)
        {
            await using var cmd = new NpgsqlCommand(sql.Replace("{batch}", batch, StringComparison.Ordinal), conn) { CommandTimeout = 0 };
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Re-derives both tables from the published facts in one transaction (rollups rebuild --from-facts).</summary>
    public static async Task RederiveAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await LockAsync(conn, ct);
        foreach (var sql in RederiveSql)
        {
            await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    private static Task LockAsync(NpgsqlConnection conn, CancellationToken ct) =>
        conn.ExecAsync(string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({Lock})"), ct);

    private static string[] Statements(string file) => Warehouse.WarehouseSchema.Resource(file)
        .Split("\n;\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
