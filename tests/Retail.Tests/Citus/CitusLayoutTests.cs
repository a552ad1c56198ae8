using Npgsql;
using Retail.Data.Warehouse;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Citus;

/// <summary>The distributed layout, read back from Citus's own catalog on a real coordinator + 2 workers.</summary>
[Collection(CitusCollection.Name)]
public sealed class CitusLayoutTests(CitusFixture citus)
{
    private static async Task<Dictionary<string, (string Type, string Column, long Colocation,
        long Shards)>> CitusTables(NpgsqlDataSource db)
    {
        var tables = new Dictionary<string, (string, string, long, long)>();
        await using var cmd = db.CreateCommand("SELECT table_name::text, citus_table_type, distribution_column, colocation_id, "
            + "shard_count FROM citus_tables");
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            tables[r.GetString(0)] = (r.GetString(1), r.GetString(2),
                Convert.ToInt64(r.GetValue(3), System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToInt64(r.GetValue(4), System.Globalization.CultureInfo.InvariantCulture));
        }
        return tables;
    }

    [CitusFact]
    public async Task The_schema_step_distributes_every_table_as_designed_and_a_rerun_changes_nothing()
    {
        var settings = await citus.CreateDatabaseAsync("layout");
        var endpoint = citus.Endpoint(settings);
        await using var db = endpoint.CreateDataSource();
        Assert.Equal(WarehouseSchema.Scripts.Count,
            await WarehouseSchema.ApplyAsync(db, SchemaOptions.For(endpoint), CancellationToken.None));

        var t = await CitusTables(db);
        foreach (var dim in new[] { "dim_store", "dim_category", "dim_product", "dim_customer", "dim_payment_method", "dim_channel",
            "dim_date" })
        {
            Assert.Equal(("reference", "<none>"), (t[$"marts.{dim}"].Type, t[$"marts.{dim}"].Column));
        }
        // Two workers: two shards each.
        Assert.Equal(("distributed", "transaction_id", 4L),
            (t["marts.fct_sales"].Type, t["marts.fct_sales"].Column, t["marts.fct_sales"].Shards));
        var rollups = new[] { "agg_sales_hourly", "agg_product_daily", "agg_receipts_daily",
            "agg_customers_hll_daily" }.Select(a => t[$"marts.{a}"]).ToList();
        Assert.All(rollups, a => Assert.Equal(("distributed", "store_key", 4L), (a.Type, a.Column, a.Shards)));
        Assert.Single(rollups.Select(a => a.Colocation).Distinct());
        Assert.NotEqual(t["marts.fct_sales"].Colocation, rollups[0].Colocation);
        // ops stays local on the coordinator: not in Citus's metadata at all.
        Assert.Equal(0L,
            await db.ScalarAsync<long>("SELECT count(*) FROM pg_dist_partition WHERE logicalrelid::regclass::text LIKE 'ops.%'"));
        Assert.Equal(
            "batch_control_totals,batch_first_purchases,check_results,load_batches,pipeline_runs,pipeline_steps,reference_seeds,"
                + "rejected_rows,schema_migrations",
            await db.ScalarAsync<string>("SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'ops'"));
        // So do the new-customer tables (DistributedLayout says why).
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_dist_partition WHERE logicalrelid::regclass::text IN "
            + "('marts.customer_first_purchase', 'marts.agg_new_customers_daily')"));

        // Shards really live on both workers; nothing was left in the coordinator's own (shell) tables.
        Assert.Equal(2L,
            await db.ScalarAsync<long>("SELECT count(DISTINCT nodeport) FROM citus_shards WHERE table_name = 'marts.fct_sales'::regclass"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT pg_relation_size('marts.dim_customer') + pg_relation_size('marts.dim_date')"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM marts.dim_customer WHERE customer_key = 0"));
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM marts.dim_date") > 16_000);
        // The flat view exists over the distributed tables, and the connection cache is set for this database.
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM marts.v_sales_flat"));
        Assert.Contains("citus.max_cached_conns_per_worker=2",
            await db.ScalarAsync<string>("SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting WHERE setrole = 0 AND "
                + "setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())"));
        // The dashboard's login exists on every worker (Citus connects there as that role).
        foreach (var port in citus.WorkerPorts)
        {
            await using var w = new NpgsqlConnection(CitusFixture.WorkerConnectionString(settings, port, "postgres"));
            await w.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'retail_dashboard'", w);
            Assert.True((bool)(await cmd.ExecuteScalarAsync())!);
        }

        Assert.Equal(0, await WarehouseSchema.ApplyAsync(db, SchemaOptions.For(endpoint), CancellationToken.None));
        Assert.Equal(t, await CitusTables(db));

        // The reference seed's upsert works on the reference tables: a renamed store and a new one arrive.
        var chain = Retail.Core.Reference.ReferenceSeed.Chain;
        var next = chain with
        {
            Version = chain.Version + 1,
            Stores = [.. chain.Stores.Select(s => s.Code == "HEN" ? s with { Name = "Argos Hendon Central" } : s),
                new(17, "MUS", "Argos Muswell Hill", "Muswell Hill", "N10 3TD", "Local", new DateOnly(2027, 3, 1))],
        };
        Assert.Equal(0, await WarehouseSchema.ApplyAsync(db, SchemaOptions.For(endpoint) with { Seed = next }, CancellationToken.None));
        Assert.Equal("1:Argos Hendon Central,17:Argos Muswell Hill", await db.ScalarAsync<string>(
            "SELECT string_agg(store_key || ':' || store_name, ',' ORDER BY store_key) FROM marts.dim_store WHERE store_code IN ('HEN', "
                + "'MUS')"));

        var status = await CliProcess.RunAsync(Path.GetTempPath(), CliProcess.Env(settings), "db", "status");
        Assert.True(status.ExitCode == 0, status.All);
        Assert.Contains("warehouse: distributed on Citus 13.0.5, 2 worker(s); fct_sales 4 shards by transaction_id, 19 rollups 4 shards "
            + "by store_key", status.Stdout);
    }

    [CitusFact]
    public async Task Citus_shard_count_overrides_the_default_and_db_status_says_before_the_first_load()
    {
        var settings = await citus.CreateDatabaseAsync("shards");
        var before = await CliProcess.RunAsync(Path.GetTempPath(), CliProcess.Env(settings), "db", "status");
        Assert.Contains("schema not created yet", before.Stdout);

        using var dir = new TempDir();
        var env = CliProcess.Env(settings);
        env["CITUS_SHARD_COUNT"] = "6";
        var load = await CliProcess.RunAsync(dir.Path, env, "load", dir.Path);
        Assert.True(load.ExitCode == 0, load.All);
        await using var db = citus.Endpoint(settings).CreateDataSource();
        var t = await CitusTables(db);
        Assert.Equal(6L, t["marts.fct_sales"].Shards);
        Assert.Equal(6L, t["marts.agg_sales_hourly"].Shards);
        Assert.Contains("citus.max_cached_conns_per_worker=3",
            await db.ScalarAsync<string>("SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting WHERE setrole = 0 AND "
                + "setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())"));
    }
}
