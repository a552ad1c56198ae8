using Npgsql;
using Retail.Dashboard;
using Retail.Data.Configuration;
using Retail.Data.Warehouse;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>The dashboard's own read-only login on one node (the Citus suite checks the workers too).</summary>
[Collection(PostgresCollection.Name)]
public sealed class DashboardRoleTests(PostgresFixture pg)
{
    [Fact]
    public async Task The_dashboard_login_cannot_write_even_after_many_pooled_reuses_nor_read_the_quarantine()
    {
        var w = await QueriesWarehouse.LoadAsync(pg);
        await using var ro = DashboardApp.ReadOnlyDataSource(pg.Endpoint(w.Settings));
        Assert.Equal(DatabaseSettings.DefaultDashboardUser, await ro.ScalarAsync<string>("SELECT current_user"));
        Assert.False(await ro.ScalarAsync<bool>(
            "SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = current_user"));
        await DashboardRoleAssert.AssertCannotWriteAsync(ro);
        Assert.True(await w.Db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales") > 0);
    }

    [Fact]
    public async Task The_schema_step_repairs_the_role_of_earlier_versions_and_a_rerun_changes_nothing()
    {
        var settings = await pg.CreateDatabaseAsync("role");
        var endpoint = pg.Endpoint(settings) with { Settings = settings with { DashboardUser = "retail_dash_old" } };
        await using var db = endpoint.CreateDataSource();
        await WarehouseSchema.ApplyAsync(db, CancellationToken.None);
        // What 070_dashboard_role.sql used to leave: a NOLOGIN role reading every ops table, quarantine included.
        await using (var old = db.CreateCommand("""
            DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'retail_dash_old')
                THEN CREATE ROLE retail_dash_old NOLOGIN; END IF; END $$;
            GRANT USAGE ON SCHEMA marts, ops TO retail_dash_old;
            GRANT SELECT ON ALL TABLES IN SCHEMA marts, ops TO retail_dash_old;
            GRANT INSERT ON ops.check_results TO retail_dash_old;
            """))
        {
            await old.ExecuteNonQueryAsync();
        }
        await WarehouseSchema.ApplyAsync(db, SchemaOptions.For(endpoint), CancellationToken.None);
        Assert.True(await db.ScalarAsync<bool>("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'retail_dash_old'"));
        Assert.False(await db.ScalarAsync<bool>("SELECT has_table_privilege('retail_dash_old', 'ops.rejected_rows', 'SELECT')"));
        Assert.False(await db.ScalarAsync<bool>("SELECT has_table_privilege('retail_dash_old', 'ops.check_results', 'INSERT')"));
        Assert.True(await db.ScalarAsync<bool>("SELECT has_table_privilege('retail_dash_old', 'ops.load_batches', 'SELECT')"));
        await using var ro = DashboardApp.ReadOnlyDataSource(endpoint);
        await DashboardRoleAssert.AssertCannotWriteAsync(ro, rounds: 2);
        // Nothing left to grant: a rerun issues no GRANT/REVOKE (their ACLs stay byte-identical).
        var acl = await db.ScalarAsync<string>(
            "SELECT string_agg(relname || '=' || coalesce(relacl::text, ''), ';' ORDER BY relname) FROM pg_class "
            + "WHERE relnamespace IN ('marts'::regnamespace, 'ops'::regnamespace)");
        await WarehouseSchema.ApplyAsync(db, SchemaOptions.For(endpoint), CancellationToken.None);
        Assert.Equal(acl, await db.ScalarAsync<string>(
            "SELECT string_agg(relname || '=' || coalesce(relacl::text, ''), ';' ORDER BY relname) FROM pg_class "
            + "WHERE relnamespace IN ('marts'::regnamespace, 'ops'::regnamespace)"));
    }

    [Fact]
    public async Task A_dashboard_on_a_warehouse_without_schema_says_what_to_run_and_runs_no_migration()
    {
        var settings = await pg.CreateDatabaseAsync("noschema");
        var endpoint = pg.Endpoint(settings) with { Settings = settings with { DashboardUser = "retail_dash_none" } };
        var e = await Assert.ThrowsAsync<WarehouseNotReadyException>(
            () => DashboardApp.CreateAsync(new DashboardOptions(endpoint, "http://127.0.0.1:0"), [], CancellationToken.None));
        Assert.Contains("./retail load", e.Message);
        // Even with the login in place, no schema means no start, and the dashboard created none.
        await using var db = endpoint.CreateDataSource();
        await using (var role = db.CreateCommand(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'retail_dash_none') "
            + "THEN CREATE ROLE retail_dash_none LOGIN; END IF; END $$"))
        {
            await role.ExecuteNonQueryAsync();
        }
        e = await Assert.ThrowsAsync<WarehouseNotReadyException>(
            () => DashboardApp.CreateAsync(new DashboardOptions(endpoint, "http://127.0.0.1:0"), [], CancellationToken.None));
        Assert.Contains("has no schema", e.Message);
        Assert.True(await db.ScalarAsync<bool>("SELECT to_regclass('ops.schema_migrations') IS NULL"));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_password_protected_embedded_cluster_gets_a_generated_dashboard_password_kept_owner_only_and_never_printed()
    {
        const string secret = "S3cret-admin-pw";
        using var dir = new TempDir();
        var home = Path.Combine("/tmp", $"retail-pw-{Guid.NewGuid():N}"[..20]);
        var env = new Dictionary<string, string?> { ["RETAIL_HOME"] = home, ["DB_PASSWORD"] = secret };
        try
        {
            // An empty folder to load: the command still runs the schema step, which creates the login.
            Directory.CreateDirectory(Path.Combine(dir.Path, "empty"));
            var load = await CliProcess.RunAsync(dir.Path, env, "load", "empty");
            Assert.True(load.ExitCode == 0, load.All);
            var file = Path.Combine(home, DashboardLogin.PasswordFileName);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            var generated = (await File.ReadAllTextAsync(file)).Trim();
            Assert.True(generated.Length >= 40);
            Assert.DoesNotContain(generated, load.All);

            var settings = DatabaseSettings.FromVariables(k => env.TryGetValue(k, out var v) ? v : null, dir.Path);
            var endpoint = await WarehouseEndpoint.ResolveAsync(settings, CancellationToken.None);
            Assert.Equal(generated, endpoint.Dashboard.Password);
            await using (var ro = DashboardApp.ReadOnlyDataSource(endpoint))
            {
                Assert.Equal(DatabaseSettings.DefaultDashboardUser, await ro.ScalarAsync<string>("SELECT current_user"));
                await DashboardRoleAssert.AssertCannotWriteAsync(ro, rounds: 1);
            }
            // The cluster asks for the password: a wrong one is refused.
            var wrong = new NpgsqlConnectionStringBuilder(endpoint.DashboardConnectionString()) { Password = "wrong", Pooling = false };
            await using var conn = new NpgsqlConnection(wrong.ConnectionString);
            var e = await Assert.ThrowsAsync<PostgresException>(() => conn.OpenAsync());
            Assert.Equal(PostgresErrorCodes.InvalidPassword, e.SqlState);
        }
        finally
        {
            await CliProcess.RunAsync(dir.Path, env, "db", "stop");
            Directory.Delete(home, recursive: true);
        }
    }
}
