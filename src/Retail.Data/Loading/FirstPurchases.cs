using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Retail.Data.Loading;

/// <summary>
/// Each loyalty customer's first published purchase (marts.customer_first_purchase) and the daily new-customer counts
/// the dashboard sums (marts.agg_new_customers_daily), migration 124. The loader gathers each file's first purchase per
/// customer while it reads the rows (<see cref="FirstPurchaseAccumulator"/>), so publishing never re-reads the facts
/// (on Citus: never pulls them from the workers). Two advisory locks keep the tables exact with files publishing side by
/// side: under the shared settle lock a file drops, in parallel with the others, the customers whose kept first purchase
/// is already earlier (a publish only ever moves one earlier); only the rest is merged under the exclusive lock. A forced
/// reload and a re-derivation can move first purchases later, so they take the settle lock exclusively (migration 126).
/// </summary>
public static class FirstPurchases
{
    private const long Lock = 0x5245_5441_494C_0124; // "RETAIL" + migration 124
    private const long SettleLock = 0x5245_5441_494C_0126; // "RETAIL" + migration 126

    private const string BatchSet = """
        CREATE TEMP TABLE publishing_first_purchases (batch_id integer, customer_key integer, first_sold_at timestamptz,
            first_date date, first_store_key smallint) ON COMMIT DROP
        """;

    private const string Columns = "(batch_id, customer_key, first_sold_at, first_date, first_store_key)";

    private static readonly string[] MergeSql = Statements("customers/merge_first_purchases.sql");
    private static readonly string[] PublishSql = Statements("customers/publish_first_purchases.sql");
    private static readonly string[] ReplaceSql = Statements("customers/replace_first_purchases.sql");
    private static readonly string[] RederiveSql = Statements("customers/rederive_first_purchases.sql");

    /// <summary>
    /// In the file's transaction: its first purchases are merged now when the batch is published as it loads, or kept
    /// in ops.batch_first_purchases until <see cref="PublishAsync"/> publishes it.
    /// </summary>
    internal static async Task KeepAsync(NpgsqlConnection conn, int batchId, FirstPurchaseAccumulator firsts, bool publish,
        CancellationToken ct)
    {
        if (firsts.Count == 0)
        {
            return;
        }
        if (publish)
        {
            await conn.ExecAsync(BatchSet, ct);
        }
        var target = publish ? "publishing_first_purchases" : "ops.batch_first_purchases";
        await Task.Run(() => Copy(conn, $"COPY {target} {Columns} FROM STDIN (FORMAT BINARY)", batchId, firsts), ct);
        if (publish)
        {
            await MergeAsync(conn, ct);
        }
    }

    /// <summary>In the caller's transaction: these batches, loaded unpublished, were just published.</summary>
    public static async Task PublishAsync(NpgsqlConnection conn, IReadOnlyCollection<int> batches, CancellationToken ct)
    {
        if (batches.Count == 0)
        {
            return;
        }
        foreach (var sql in PublishSql)
        {
            await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
            cmd.Parameters.Add(new NpgsqlParameter
            {
                Value = batches.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer,
            });
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await MergeAsync(conn, ct);
    }

    /// <summary>
    /// In the forced reload's transaction, after the batch's facts were deleted: its customers' first purchases move to
    /// their next published purchase (or go). Costs a scan of the facts from the earliest such purchase on.
    /// </summary>
    internal static async Task ReplaceAsync(NpgsqlConnection conn, int batchId, CancellationToken ct)
    {
        await LockExclusiveAsync(conn, ct);
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
        await LockExclusiveAsync(conn, ct);
        foreach (var sql in RederiveSql)
        {
            await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>pg_temp.publishing_first_purchases into the kept rows: settled in parallel, the rest merged under the lock.</summary>
    private static async Task MergeAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        // Shared before exclusive, in every path, so the two locks never wait on each other in a cycle.
        await conn.ExecAsync(string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock_shared({SettleLock})"), ct);
        for (var i = 0; i < MergeSql.Length; i++)
        {
            if (i == 1)
            {
                await conn.ExecAsync(string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({Lock})"), ct);
            }
            await using var cmd = new NpgsqlCommand(MergeSql[i], conn) { CommandTimeout = 0 };
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private static Task LockExclusiveAsync(NpgsqlConnection conn, CancellationToken ct) => conn.ExecAsync(string.Create(
        CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({SettleLock}); SELECT pg_advisory_xact_lock({Lock})"), ct);

    private static void Copy(NpgsqlConnection conn, string copy, int batchId, FirstPurchaseAccumulator firsts)
    {
        using var w = new BinaryCopyWriter(conn, copy);
        foreach (var (customer, line) in firsts.Sorted())
        {
            w.StartRow(5, 5 * 4 + 26);
            w.Int32(batchId);
            w.Int32(customer);
            w.TimestampUtc(new DateTime(line.SoldAtTicks, DateTimeKind.Utc));
            w.Date(line.Date);
            w.Int16(line.Store);
        }
        w.Complete();
    }

    private static string[] Statements(string file) => Warehouse.WarehouseSchema.Resource(file)
        .Split("\n;\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
