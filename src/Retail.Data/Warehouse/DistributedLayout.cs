using System.Globalization;
using Npgsql;

namespace Retail.Data.Warehouse;

/// <summary>
/// On a Citus coordinator (the citus extension in DB_NAME) the warehouse is spread over the workers: facts
/// hash-distributed by transaction_id (in the primary key, so every shard enforces it alone), dimensions
/// replicated to every node as reference tables (joins stay local to a shard), rollups distributed by store_key
/// and co-located with each other, and ops kept as local tables on the coordinator (the ledger takes row locks
/// and ANALYZE inside load transactions, which a reference table refuses after a parallel distributed write).
/// Part of the schema step's transaction, so a layout is applied whole or not at all; re-running finds nothing to do.
/// </summary>
public static class DistributedLayout
{
    public const string Reference = "reference";
    public const string Distributed = "distributed";
    public const string Local = "local";

    /// <summary>Desired layout, in an order Citus accepts (a referenced table before the one whose key points at it).</summary>
    public static IReadOnlyList<TableLayout> Tables { get; } =
    [
        new("marts.dim_store", Reference), new("marts.dim_category", Reference), new("marts.dim_product", Reference),
        new("marts.dim_customer", Reference), new("marts.dim_payment_method", Reference), new("marts.dim_channel", Reference),
        new("marts.dim_date", Reference),
        new("marts.fct_sales", Distributed, "transaction_id"),
        new("marts.agg_sales_hourly", Distributed, "store_key"),
        new("marts.agg_product_daily", Distributed, "store_key", "marts.agg_sales_hourly"),
        new("marts.agg_receipts_daily", Distributed, "store_key", "marts.agg_sales_hourly"),
        new("marts.agg_customers_hll_daily", Distributed, "store_key", "marts.agg_sales_hourly"),
        // Month rollups co-located with the fine ones: a month's rebuild (insert…select by store) runs on each shard.
        new("marts.agg_month_sales", Distributed, "store_key", "marts.agg_sales_hourly"),
        new("marts.agg_month_heat", Distributed, "store_key", "marts.agg_sales_hourly"),
        new("marts.agg_month_products", Distributed, "store_key", "marts.agg_sales_hourly"),
        new("marts.agg_month_receipts", Distributed, "store_key", "marts.agg_sales_hourly"),
        new("marts.agg_month_customers", Distributed, "store_key", "marts.agg_sales_hourly"),
        new("marts.agg_week_sales", Distributed, "store_key", "marts.agg_sales_hourly"),
        new("marts.agg_week_products", Distributed, "store_key", "marts.agg_sales_hourly"),
        new("marts.agg_week_receipts", Distributed, "store_key", "marts.agg_sales_hourly"),
        new("marts.agg_week_customers", Distributed, "store_key", "marts.agg_sales_hourly"),
        new("marts.agg_mix_daily", Distributed, "store_key", "marts.agg_sales_hourly"),
        new("marts.agg_mix_receipts_daily", Distributed, "store_key", "marts.agg_sales_hourly"),
        new("marts.agg_month_mix", Distributed, "store_key", "marts.agg_sales_hourly"),
        new("marts.agg_month_mix_receipts", Distributed, "store_key", "marts.agg_sales_hourly"),
        new("marts.agg_week_mix", Distributed, "store_key", "marts.agg_sales_hourly"),
        new("marts.agg_week_mix_receipts", Distributed, "store_key", "marts.agg_sales_hourly"),
        // New customers stay on the coordinator: each file's merge is a local index join of the loader's own set (no facts
        // are read, so nothing is pulled from the workers), and the card's query sums a few thousand rows a year without a
        // round trip to every shard. ~100 bytes per customer (122 MB at the 1.26M customers of a 100M year's December).
        new("marts.customer_first_purchase", Local), new("marts.agg_new_customers_daily", Local),
        new("ops.batch_first_purchases", Local),
        new("ops.load_batches", Local), new("ops.rejected_rows", Local), new("ops.pipeline_runs", Local),
        new("ops.pipeline_steps", Local), new("ops.check_results", Local), new("ops.schema_migrations", Local),
        new("ops.reference_seeds", Local),
    ];

    /// <summary>Shards per distributed table unless CITUS_SHARD_COUNT says otherwise: two per worker.</summary>
    /// <remarks>
    /// Every file's COPY writes to every shard of the facts (a day's receipts hash everywhere) and commits with
    /// two-phase commit on each worker it touched, so per-file cost grows with the shard count: Citus's default of
    /// 32 made a 1M-line year 10× slower than one node. Two per worker keeps both cores of a worker busy on a query.
    /// </remarks>
    public static int DefaultShardCount(int shardNodes) => Math.Max(2, 2 * shardNodes);

    /// <summary>Connections a coordinator backend keeps open per worker between transactions: one per local shard.</summary>
    public static int CachedConnectionsPerWorker(int shards, int shardNodes) => Math.Max(1,
        (shards + Math.Max(1, shardNodes) - 1) / Math.Max(1, shardNodes));

    /// <summary>True when DB_NAME has the citus extension (this server is a Citus coordinator).</summary>
    public static async Task<bool> IsCitusAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'citus')", conn);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The statements that bring <paramref name="current"/> to the desired layout (none when it is there).</summary>
    public static IReadOnlyList<string> Plan(IReadOnlyDictionary<string, TableState> current, int shards)
    {
        var created = new List<string>();
        var statements = new List<string>();
        foreach (var want in Tables)
        {
            if (!current.TryGetValue(want.Name, out var have))
            {
                throw new LayoutConflictException($"{want.Name} is missing: the schema step creates it before the distributed layout; was "
                    + $"it dropped by hand?");
            }
            if (have.Kind == want.Kind && have.Column == want.Column)
            {
                continue;
            }
            if (have.Kind is not (Local or "citus local") || want.Kind == Local)
            {
                var how = have.Column is null ? $"a {have.Kind} table" : $"{have.Kind} by {have.Column}";
                var wanted = want.Column is null ? $"a {want.Kind} table" : $"{want.Kind} by {want.Column}";
                throw new LayoutConflictException(
                    $"{want.Name} is {how} but retail needs {wanted}: run SELECT undistribute_table('{want.Name}') on the coordinator, "
                        + $"then any retail command redoes the layout.");
            }
            statements.Add(want.Kind == Reference
                ? $"SELECT create_reference_table('{want.Name}')"
                : string.Create(CultureInfo.InvariantCulture,
                    $"SELECT create_distributed_table('{want.Name}', '{want.Column}', {Colocation(want, shards)})"));
            created.Add(want.Name);
        }
        if (statements.Count == 0)
        {
            return [];
        }
        // Citus copies rows that were already there into the shards and leaves the local copy behind; drop it.
        statements.AddRange(created.Select(t => $"SELECT truncate_local_data_after_distributing_table('{t}')"));
        // A view over tables is created on the coordinator only when they are local: drop it first, recreate it after.
        statements.Insert(0, "DROP VIEW IF EXISTS marts.v_sales_flat");
        return statements;
    }

    private static string Colocation(TableLayout want, int shards) => want.ColocateWith is null
        ? string.Create(CultureInfo.InvariantCulture, $"shard_count => {shards}, colocate_with => 'none'")
        : $"colocate_with => '{want.ColocateWith}'";

    /// <summary>
    /// Brings the warehouse to the distributed layout inside the schema step's transaction. Returns true when it
    /// changed anything.
    /// </summary>
    internal static async Task<bool> ApplyAsync(NpgsqlConnection conn, int? shardCount, string viewSql, CancellationToken ct)
    {
        var cluster = await ReadClusterAsync(conn, ct);
        var shards = shardCount ?? DefaultShardCount(cluster.ShardNodes);
        var plan = Plan(await ReadStateAsync(conn, ct), shards);
        if (plan.Count == 0)
        {
            return false;
        }
        foreach (var sql in plan)
        {
            await conn.ExecAsync(sql, ct);
        }
        await conn.ExecAsync(viewSql, ct);
        if (!cluster.CacheConfigured)
        {
            // Without it every file's COPY opens a new connection per shard (Citus caches one per worker).
            // Only set when absent, so an operator's own ALTER DATABASE … SET wins.
            await conn.ExecAsync(string.Create(CultureInfo.InvariantCulture,
                $"ALTER DATABASE \"{conn.Database}\" SET citus.max_cached_conns_per_worker = "
                    + $"{CachedConnectionsPerWorker(shards, cluster.ShardNodes)}"), ct);
        }
        return true;
    }

    internal static async Task<Dictionary<string, TableState>> ReadStateAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var state = new Dictionary<string, TableState>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand(WarehouseSchema.Resource("citus/layout_state.sql"), conn);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            state[r.GetString(0)] = new TableState(r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                r.IsDBNull(3) ? null : r.GetInt32(3), r.GetInt32(4));
        }
        return state;
    }

    internal static async Task<ClusterInfo> ReadClusterAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(WarehouseSchema.Resource("citus/workers.sql"), conn);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return new ClusterInfo(r.GetInt32(0), r.GetInt32(1), r.GetBoolean(2), r.GetString(3));
    }

    /// <summary>One line for `retail db status`: distributed or not, on how many workers and shards.</summary>
    public static async Task<string> DescribeAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        if (!await IsCitusAsync(conn, ct))
        {
            return "warehouse: single node (plain PostgreSQL, not distributed)";
        }
        var cluster = await ReadClusterAsync(conn, ct);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('marts.fct_sales') IS NOT NULL", conn))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                return $"warehouse: Citus {cluster.Version} with {cluster.Workers} worker(s), schema not created yet (the next retail "
                    + $"load/run creates and distributes it)";
            }
        }
        var state = await ReadStateAsync(conn, ct);
        try
        {
            if (Plan(state, DefaultShardCount(cluster.ShardNodes)).Count > 0)
            {
                return $"warehouse: Citus {cluster.Version} with {cluster.Workers} worker(s), NOT distributed yet (the next retail "
                    + $"load/run distributes it)";
            }
        }
        catch (LayoutConflictException e)
        {
            return $"warehouse: Citus {cluster.Version} with {cluster.Workers} worker(s), distributed differently from what retail needs: "
                + $"{e.Message}";
        }
        var facts = state["marts.fct_sales"];
        var rollups = state["marts.agg_sales_hourly"];
        var references = state.Values.Count(s => s.Kind == Reference);
        var locals = state.Count(kv => kv.Key.StartsWith("ops.", StringComparison.Ordinal) && kv.Value.Kind == Local);
        return string.Create(CultureInfo.InvariantCulture,
            $"warehouse: distributed on Citus {cluster.Version}, {cluster.Workers} worker(s); fct_sales {facts.Shards} shards by "
                + $"transaction_id, " +
            $"{Tables.Count(t => t.ColocateWith is not null) + 1} rollups {rollups.Shards} shards by store_key (co-located), {references} "
                + $"reference tables, {locals} ops tables local to the coordinator");
    }
}

/// <summary>Where one table should live.</summary>
public sealed record TableLayout(string Name, string Kind, string? Column = null, string? ColocateWith = null);

/// <summary>Where one table lives now: its kind, distribution column, co-location group and shard count.</summary>
public sealed record TableState(string Kind, string? Column = null, int? ColocationId = null, int Shards = 0);

internal sealed record ClusterInfo(int ShardNodes, int Workers, bool CacheConfigured, string Version);

/// <summary>A table is distributed differently from what retail needs; the message says how to fix it.</summary>
public sealed class LayoutConflictException(string message) : Exception(message);
