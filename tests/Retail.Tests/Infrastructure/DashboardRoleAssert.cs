using Npgsql;

namespace Retail.Tests.Infrastructure;

/// <summary>What the dashboard's login must never be able to do, whatever it sends (shared by one node and Citus).</summary>
public static class DashboardRoleAssert
{
    /// <summary>Statements that would write if the session were anything but the read-only login.</summary>
    public static readonly string[] Writes =
    [
        "INSERT INTO marts.dim_channel VALUES (99, 'pigeon')",
        "UPDATE marts.agg_sales_hourly SET revenue_pence = 0",
        "DELETE FROM marts.fct_sales",
        "TRUNCATE marts.agg_product_daily",
        "CREATE TABLE marts.evil (x int)",
        "CREATE TABLE ops.evil (x int)",
        "CREATE TABLE public.evil (x int)",
        "RESET ROLE; DELETE FROM marts.fct_sales",
        "SET default_transaction_read_only = off; DELETE FROM marts.fct_sales",
        "SET SESSION AUTHORIZATION postgres; DELETE FROM marts.fct_sales",
        "SET ROLE postgres; DELETE FROM marts.fct_sales",
    ];

    /// <summary>The ledger lives on the coordinator only (on Citus, workers have no ops schema).</summary>
    public static readonly string[] OpsWrites = ["DELETE FROM ops.load_batches", "UPDATE ops.check_results SET passed = true",
        "SELECT count(*) FROM ops.rejected_rows"];

    /// <summary>
    /// Every statement is refused for lack of privilege, again and again through the pool (Npgsql resets a pooled
    /// connection with DISCARD ALL, which undid the old SET ROLE), and reading what the dashboard shows still works.
    /// </summary>
    public static async Task AssertCannotWriteAsync(NpgsqlDataSource dashboard, int rounds = 25, bool coordinator = true)
    {
        for (var round = 0; round < rounds; round++)
        {
            foreach (var sql in coordinator ? [.. Writes, .. OpsWrites] : Writes)
            {
                await using var cmd = dashboard.CreateCommand(sql);
                var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
                Assert.True(e.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {e.SqlState} {e.MessageText}");
            }
            await using var read = dashboard.CreateCommand(coordinator ? "SELECT (SELECT count(*) FROM marts.agg_sales_hourly) + (SELECT "
                + "count(*) FROM ops.load_batches)" : "SELECT count(*) FROM marts.agg_sales_hourly");
            Assert.True((long)(await read.ExecuteScalarAsync())! >= 0);
        }
    }
}
