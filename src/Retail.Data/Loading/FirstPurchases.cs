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

    private static readonly string SettleSql = Warehouse.WarehouseSchema.Resource("customers/settle_first_purchases.sql");
    private static readonly string[] MergeSql = Statements("customers/merge_first_purchases.sql");
    private static readonly string PublishSql = Warehouse.WarehouseSchema.Resource("customers/publish_first_purchases.sql");
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
            await MergeAsync(conn, Candidates.Of(batchId, firsts), ct);
            return;
        }
        await Task.Run(() => Copy(conn, batchId, firsts), ct);
    }

    /// <summary>In the caller's transaction: these batches, loaded unpublished, were just published.</summary>
    public static async Task PublishAsync(NpgsqlConnection conn, IReadOnlyCollection<int> batches, CancellationToken ct)
    {
        if (batches.Count == 0)
        {
            return;
        }
        await using var cmd = new NpgsqlCommand(PublishSql, conn) { CommandTimeout = 0 };
        cmd.Parameters.Add(new NpgsqlParameter { Value = batches.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        Candidates kept;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            kept = await Candidates.ReadAsync(r, ct);
        }
        await MergeAsync(conn, kept, ct);
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

    /// <summary>
    /// Settles the candidates under the shared lock (in parallel with other files), then merges what is left, if anything,
    /// under the exclusive one: a file whose customers all started earlier never waits for another file's merge.
    /// </summary>
    private static async Task MergeAsync(NpgsqlConnection conn, Candidates candidates, CancellationToken ct)
    {
        if (candidates.Count == 0)
        {
            return;
        }
        Candidates unsettled;
        await using (var settle = new NpgsqlBatch(conn) { Timeout = 0 })
        {
            // Shared before exclusive, in every path, so the two locks never wait on each other in a cycle.
            settle.BatchCommands.Add(new NpgsqlBatchCommand(
                string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock_shared({SettleLock})")));
            settle.BatchCommands.Add(candidates.Command(SettleSql));
            await using var r = await settle.ExecuteReaderAsync(ct);
            await r.NextResultAsync(ct);
            unsettled = await Candidates.ReadAsync(r, ct);
        }
        if (unsettled.Count == 0)
        {
            return;
        }
        await using var merge = new NpgsqlBatch(conn) { Timeout = 0 };
        merge.BatchCommands.Add(new NpgsqlBatchCommand(
            string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({Lock})")));
        merge.BatchCommands.Add(unsettled.Command(MergeSql[0]));
        merge.BatchCommands.Add(new NpgsqlBatchCommand(MergeSql[1]));
        await merge.ExecuteNonQueryAsync(ct);
    }

    private static Task LockExclusiveAsync(NpgsqlConnection conn, CancellationToken ct) => conn.ExecAsync(string.Create(
        CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({SettleLock}); SELECT pg_advisory_xact_lock({Lock})"), ct);

    private static void Copy(NpgsqlConnection conn, int batchId, FirstPurchaseAccumulator firsts)
    {
        using var w = new BinaryCopyWriter(conn, "COPY ops.batch_first_purchases (batch_id, customer_key, first_sold_at, first_date, "
            + "first_store_key) FROM STDIN (FORMAT BINARY)");
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

    /// <summary>
    /// First purchases to settle or merge, one per customer, as the five arrays the SQL unnests: sized once, sent as they
    /// are (~22 bytes a customer, in key order so the lookups walk the index in order).
    /// </summary>
    private sealed class Candidates(int[] batches, int[] customers, DateTime[] soldAt, DateOnly[] dates, short[] stores)
    {
        public int Count => customers.Length;

        public static Candidates Of(int batchId, FirstPurchaseAccumulator firsts)
        {
            var n = firsts.Count;
            var c = new Candidates(new int[n], new int[n], new DateTime[n], new DateOnly[n], new short[n]);
            var i = 0;
            foreach (var (customer, line) in firsts.Sorted())
            {
                c.Set(i++, batchId, customer, new DateTime(line.SoldAtTicks, DateTimeKind.Utc), line.Date, line.Store);
            }
            return c;
        }

        /// <summary>Rows of (batch_id, customer_key, first_sold_at, first_date, first_store_key).</summary>
        public static async Task<Candidates> ReadAsync(NpgsqlDataReader r, CancellationToken ct)
        {
            var rows = new List<(int, int, DateTime, DateOnly, short)>();
            while (await r.ReadAsync(ct))
            {
                rows.Add((r.GetInt32(0), r.GetInt32(1), r.GetFieldValue<DateTime>(2), r.GetFieldValue<DateOnly>(3), r.GetInt16(4)));
            }
            var n = rows.Count;
            var c = new Candidates(new int[n], new int[n], new DateTime[n], new DateOnly[n], new short[n]);
            for (var i = 0; i < n; i++)
            {
                var (batch, customer, at, date, store) = rows[i];
                c.Set(i, batch, customer, at, date, store);
            }
            return c;
        }

        public NpgsqlBatchCommand Command(string sql)
        {
            var cmd = new NpgsqlBatchCommand(sql);
            cmd.Parameters.Add(new NpgsqlParameter<int[]>("", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = batches });
            cmd.Parameters.Add(new NpgsqlParameter<int[]>("", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = customers });
            cmd.Parameters.Add(new NpgsqlParameter<DateTime[]>("", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = soldAt });
            cmd.Parameters.Add(new NpgsqlParameter<DateOnly[]>("", NpgsqlDbType.Array | NpgsqlDbType.Date) { TypedValue = dates });
            cmd.Parameters.Add(new NpgsqlParameter<short[]>("", NpgsqlDbType.Array | NpgsqlDbType.Smallint) { TypedValue = stores });
            return cmd;
        }

        private void Set(int i, int batch, int customer, DateTime at, DateOnly date, short store)
        {
            batches[i] = batch;
            customers[i] = customer;
            soldAt[i] = at;
            dates[i] = date;
            stores[i] = store;
        }
    }
}
