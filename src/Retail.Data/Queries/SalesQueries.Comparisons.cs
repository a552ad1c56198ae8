using Npgsql;
using NpgsqlTypes;

namespace Retail.Data.Queries;

/// <summary>
/// The store, category and product tables with the previous period's and last year's revenue beside each row: the same
/// query once per period, sent as one batch (one round trip, one connection), joined by code in <see cref="PeriodComparison"/>.
/// </summary>
public sealed partial class SalesQueries
{
    public async Task<IReadOnlyList<NamedTotal>> GetStoresComparedAsync(SalesFilter f, bool compareLastYear, CancellationToken ct) =>
        await ComparedTotalsAsync("by_store", f, compareLastYear, await CurrentAsync(ct), ct);

    public async Task<IReadOnlyList<NamedTotal>> GetCategoriesComparedAsync(SalesFilter f, bool compareLastYear, CancellationToken ct) =>
        await ComparedTotalsAsync("by_category", f, compareLastYear, await CurrentAsync(ct), ct);

    public async Task<IReadOnlyList<TopProduct>> GetTopProductsComparedAsync(
        SalesFilter f, TopBy by, int limit, bool compareLastYear, CancellationToken ct) =>
        await ComparedTopProductsAsync(f, by, limit, compareLastYear, await CurrentAsync(ct), ct);

    private static SalesFilter[] Periods(SalesFilter f, bool compareLastYear) =>
        compareLastYear ? [f, f.Previous, f.LastYear] : [f, f.Previous];

    private async Task<IReadOnlyList<NamedTotal>> ComparedTotalsAsync(
        string file, SalesFilter f, bool compareLastYear, CurrentRollups current, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        foreach (var period in Periods(f, compareLastYear))
        {
            var plan = current.Plan(period.From, period.To);
            var cmd = new NpgsqlBatchCommand(Sql(file, plan, period));
            AddParameters(cmd.Parameters, period, plan);
            batch.BatchCommands.Add(cmd);
        }
        var lists = new List<List<NamedTotal>>();
        await using var r = await batch.ExecuteReaderAsync(ct);
        do
        {
            var list = new List<NamedTotal>();
            while (await r.ReadAsync(ct))
            {
                list.Add(ReadTotal(r));
            }
            lists.Add(list);
        }
        while (await r.NextResultAsync(ct));
        return PeriodComparison.Attach(lists[0], lists[1], compareLastYear ? lists[2] : null);
    }

    private async Task<IReadOnlyList<TopProduct>> ComparedTopProductsAsync(
        SalesFilter f, TopBy by, int limit, bool compareLastYear, CurrentRollups current, CancellationToken ct)
    {
        var top = await GetTopProductsAsync(f, by, limit, current, ct);
        if (top.Count == 0)
        {
            return top;
        }
        var revenues = await ProductRevenueAsync(top.Select(p => p.Sku).ToArray(), Periods(f, compareLastYear)[1..], current, ct);
        return PeriodComparison.Attach(top, revenues[0], compareLastYear ? revenues[1] : null);
    }

    /// <summary>Revenue per SKU of the given products in each period, one statement per period in one batch.</summary>
    private async Task<List<Dictionary<string, long>>> ProductRevenueAsync(
        string[] skus, SalesFilter[] periods, CurrentRollups current, CancellationToken ct)
    {
        await using var batch = db.CreateBatch();
        foreach (var period in periods)
        {
            var plan = current.Plan(period.From, period.To);
            var cmd = new NpgsqlBatchCommand(Sql("product_revenue", plan, period));
            AddParameters(cmd.Parameters, period, plan);
            cmd.Parameters.Add(new NpgsqlParameter { Value = skus, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            batch.BatchCommands.Add(cmd);
        }
        var result = new List<Dictionary<string, long>>();
        await using var r = await batch.ExecuteReaderAsync(ct);
        do
        {
            var revenue = new Dictionary<string, long>(StringComparer.Ordinal);
            while (await r.ReadAsync(ct))
            {
                revenue[r.GetString(0)] = r.GetInt64(1);
            }
            result.Add(revenue);
        }
        while (await r.NextResultAsync(ct));
        return result;
    }
}
