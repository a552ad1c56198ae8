using Npgsql;
using NpgsqlTypes;

namespace Retail.Data.Queries;

/// <summary>New and repeat customers (issue #12): new is exact, repeat is the customer estimate less the new ones.</summary>
public sealed partial class SalesQueries
{
    private static readonly string NewCustomersSql = QueryText("new_customers");

    /// <summary>
    /// Customers in the period at the selected stores (all categories: a first purchase has no category) and how many of
    /// them are new, read in one round trip.
    /// </summary>
    public Task<CustomerMix> GetCustomerMixAsync(SalesFilter f, CancellationToken ct) => GetCustomerMixAsync(f, null, ct);

    /// <param name="kpiCustomers">
    /// The KPI card's customer estimate for this same filter, when the page has it: with no category filter it is the
    /// very estimate this card needs (same dates, same stores), so only the exact new count is read. With a category
    /// filter it counts that category's customers only, so the estimate over all categories is read here.
    /// </param>
    public async Task<CustomerMix> GetCustomerMixAsync(SalesFilter f, long? kpiCustomers, CancellationToken ct)
    {
        var all = f with { Categories = [] };
        if (f.Categories.Count == 0 && kpiCustomers is { } shared)
        {
            await using var only = db.CreateCommand(NewCustomersSql);
            AddNewCustomerParameters(only.Parameters, all);
            return new CustomerMix(shared, (long)(await only.ExecuteScalarAsync(ct))!);
        }
        var plan = (await CurrentAsync(ct)).Plan(all.From, all.To);
        await using var batch = db.CreateBatch();
        var customers = new NpgsqlBatchCommand(Sql("kpis_customers", plan, all));
        AddParameters(customers.Parameters, all, plan);
        var fresh = new NpgsqlBatchCommand(NewCustomersSql);
        AddNewCustomerParameters(fresh.Parameters, all);
        batch.BatchCommands.Add(customers);
        batch.BatchCommands.Add(fresh);
        await using var r = await batch.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var estimate = r.GetInt64(0);
        await r.NextResultAsync(ct);
        await r.ReadAsync(ct);
        return new CustomerMix(estimate, r.GetInt64(0));
    }

    private static void AddNewCustomerParameters(NpgsqlParameterCollection p, SalesFilter f)
    {
        p.Add(new NpgsqlParameter { Value = f.From, NpgsqlDbType = NpgsqlDbType.Date });
        p.Add(new NpgsqlParameter { Value = f.To, NpgsqlDbType = NpgsqlDbType.Date });
        p.Add(new NpgsqlParameter
        {
            Value = (object?)f.StoreArray ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint,
        });
    }
}

/// <summary>
/// Loyalty customers in a period: <see cref="Customers"/> a HyperLogLog estimate (±<see cref="Kpis.UniqueCustomersErrorBound"/>),
/// <see cref="New"/> exact (first published purchase in the period, at the selected stores), <see cref="Repeat"/> the
/// estimate less the new ones, so an estimate whose bound is the customer estimate's, in customers.
/// </summary>
public sealed record CustomerMix(long Customers, long New)
{
    /// <summary>Never below zero: the estimate can fall under the exact new count by its error.</summary>
    public long Repeat => Math.Max(0, Customers - New);

    /// <summary>± this many customers on <see cref="Repeat"/> (and on <see cref="Customers"/>).</summary>
    public long RepeatBound => (long)Math.Ceiling(Customers * Kpis.UniqueCustomersErrorBound);

    /// <summary>Share of the period's customers, in percent, of the new ones (over the estimate, so itself approximate).</summary>
    public decimal NewSharePercent => Customers == 0 ? 0 : Math.Round(100m * Math.Min(New, Customers) / Customers, 1);

    public decimal RepeatSharePercent => Customers == 0 ? 0 : Math.Round(100m * Repeat / Customers, 1);
}
