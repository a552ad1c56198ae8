using Npgsql;
using Retail.Data.Configuration;

namespace Retail.Data.Warehouse;

/// <summary>
/// What the dashboard checks before serving: it never runs migrations (it cannot: it logs in read-only), so a
/// warehouse without schema or without its login gets one line saying which command prepares it.
/// </summary>
public static class WarehouseReadiness
{
    private const string Prepare = "run './retail load' (or 'retail run', 'retail dashboard') with the admin DB_USER first: it creates "
        + "the schema and the dashboard's read-only login";

    public static async Task EnsureDashboardCanReadAsync(NpgsqlDataSource dashboardDb, WarehouseEndpoint endpoint, CancellationToken ct)
    {
        var user = endpoint.Dashboard.User;
        var where = $"{endpoint.Host}:{endpoint.Port}/{endpoint.Settings.Name}";
        NpgsqlConnection conn;
        try
        {
            conn = await dashboardDb.OpenConnectionAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            throw new WarehouseNotReadyException($"{where} refused the dashboard's login '{user}': its password is not the one the "
                + $"warehouse has. Set DASHBOARD_DB_PASSWORD to it, or {Prepare} (which sets it).");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            throw new WarehouseNotReadyException($"{where} refused the dashboard's login '{user}' ({e.MessageText}): {Prepare}.");
        }
        await using (conn)
        {
            await using var cmd = new NpgsqlCommand(
                "SELECT to_regclass('marts.agg_sales_hourly') IS NOT NULL AND has_table_privilege('marts.agg_sales_hourly', 'SELECT') AND "
                    + "has_table_privilege('ops.load_batches', 'SELECT')", conn);
            if (!(bool)(await cmd.ExecuteScalarAsync(ct))!)
            {
                throw new WarehouseNotReadyException($"the warehouse {where} has no schema (or '{user}' may not read it) yet: {Prepare}.");
            }
        }
    }
}

/// <summary>The warehouse is not prepared for what was asked; the message names the command that prepares it.</summary>
public sealed class WarehouseNotReadyException(string message) : Exception(message);
