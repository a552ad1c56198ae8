using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace Retail.Data.Queries;

/// <summary>The product list (searched, sorted and paged in SQL; or streamed whole for the export) and one product's view.</summary>
public sealed partial class SalesQueries
{
    private static readonly Dictionary<string, string> ProductFiles =
        new[] { "products", "product_daily", "product_stores", "product_shares" }
            .ToDictionary(n => n, QueryText);

    public async Task<ProductPage> GetProductsAsync(SalesFilter f, ProductListRequest request, CancellationToken ct)
    {
        var rows = new List<ProductRow>();
        var total = 0;
        await using var cmd = await ProductListCommandAsync(f, request, ct);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            rows.Add(ReadProduct(r));
            total = r.GetInt32(6);
        }
        if (rows.Count == 0 && request.Offset > 0)
        {
            // Past the last page: the count still says how many there are.
            return new ProductPage([], (await GetProductsAsync(f, request with { Offset = 0, Limit = 1 }, ct)).Total);
        }
        return new ProductPage(rows, total);
    }

    /// <summary>Every product of the list, in its order, as the rows arrive (the export writes each as it comes).</summary>
    public async IAsyncEnumerable<ProductRow> StreamProductsAsync(
        SalesFilter f, ProductListRequest request, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var cmd = await ProductListCommandAsync(f, request with { Offset = 0, Limit = null }, ct);
        await using var r = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        while (await r.ReadAsync(ct))
        {
            yield return ReadProduct(r);
        }
    }

    private static ProductRow ReadProduct(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5));

    private async Task<NpgsqlCommand> ProductListCommandAsync(SalesFilter f, ProductListRequest request, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(request.Offset);
        var current = await CurrentAsync(ct);
        var plan = current.Plan(f.From, f.To);
        var previous = f.Previous;
        var previousPlan = current.Plan(previous.From, previous.To);
        var previousAt = NextParameter(plan, 6);
        var next = NextParameter(previousPlan, previousAt);
        var direction = request.Descending ? "DESC" : "ASC";
        var order = request.Sort switch
        {
            ProductSort.Units => $"units {direction}, revenue {direction}",
            ProductSort.Change => $"change {direction} NULLS LAST, revenue {direction}",
            ProductSort.Name => $"lower(product_name) COLLATE \"C\" {direction}",
            _ => $"revenue {direction}, units {direction}",
        };
        var sql = FillPeriod(ProductFiles["products"], previousPlan, ":prev", previousAt);
        sql = Fill(sql, plan, f)
            .Replace("/*order*/", order, StringComparison.Ordinal)
            .Replace("/*search*/", Inv($"${next}"), StringComparison.Ordinal)
            .Replace("/*limit*/", Inv($"${next + 1}"), StringComparison.Ordinal)
            .Replace("/*offset*/", Inv($"${next + 2}"), StringComparison.Ordinal);
        var cmd = db.CreateCommand(sql);
        AddParameters(cmd.Parameters, f, plan);
        AddPeriodParameters(cmd.Parameters, previousPlan);
        var search = string.IsNullOrWhiteSpace(request.Search) ? null : request.Search.Trim();
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)search ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)request.Limit ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        cmd.Parameters.Add(new NpgsqlParameter { Value = request.Offset, NpgsqlDbType = NpgsqlDbType.Integer });
        return cmd;
    }

    /// <summary>One product in the filter's stores and period, or null when no product has that SKU.</summary>
    public async Task<ProductDetail?> GetProductAsync(SalesFilter f, string sku, CancellationToken ct)
    {
        int productKey;
        short categoryKey;
        string name, category;
        await using (var info = db.CreateCommand("""
            SELECT d.product_key, d.category_key, d.product_name, c.category_name
            FROM marts.dim_product d JOIN marts.dim_category c USING (category_key) WHERE d.sku = $1
            """))
        {
            info.Parameters.Add(new NpgsqlParameter { Value = sku, NpgsqlDbType = NpgsqlDbType.Text });
            await using var r = await info.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return null;
            }
            (productKey, categoryKey, name, category) = (r.GetInt32(0), r.GetInt16(1), r.GetString(2), r.GetString(3));
        }
        var current = await CurrentAsync(ct);
        var plan = current.Plan(f.From, f.To);
        // The daily series reads the fine rollups only: the month rollups hold no days.
        var dailyPlan = DateRangePlan.For(f.From, f.To, new HashSet<DateOnly>());
        await using var batch = db.CreateBatch();
        foreach (var (file, p) in new[] { ("product_daily", dailyPlan), ("product_stores", plan), ("product_shares", plan) })
        {
            var cmd = new NpgsqlBatchCommand(Fill(ProductFiles[file], p, f));
            AddParameters(cmd.Parameters, f, p);
            cmd.Parameters.Add(new NpgsqlParameter { Value = productKey, NpgsqlDbType = NpgsqlDbType.Integer });
            cmd.Parameters.Add(new NpgsqlParameter { Value = categoryKey, NpgsqlDbType = NpgsqlDbType.Smallint });
            batch.BatchCommands.Add(cmd);
        }
        await using var rows = await batch.ExecuteReaderAsync(ct);
        var daily = new List<ProductDay>();
        while (await rows.ReadAsync(ct))
        {
            daily.Add(new ProductDay(rows.GetFieldValue<DateOnly>(0), rows.GetInt64(1), rows.GetInt64(2)));
        }
        await rows.NextResultAsync(ct);
        var stores = new List<NamedTotal>();
        while (await rows.ReadAsync(ct))
        {
            stores.Add(ReadTotal(rows));
        }
        await rows.NextResultAsync(ct);
        await rows.ReadAsync(ct);
        return new ProductDetail(sku, name, category, daily, stores, rows.GetInt64(0), rows.GetInt64(1), rows.GetInt64(2));
    }
}
