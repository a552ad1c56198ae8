using System.Globalization;
using Npgsql;
using Retail.Data.Queries;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// The comparison, product-list and product-view queries against SQL on fct_sales, on the warehouse that spans more
/// than a year (so last year is loaded), through the dashboard's read-only connection.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProductQueriesTests(PostgresFixture pg) : IAsyncLifetime
{
    private LoadedWarehouse _w = null!;
    private SalesQueries _q = null!;
    private FilterOptions _options = null!;

    public async Task InitializeAsync()
    {
        (_w, _q, _options) = await QueriesWarehouse.OpenAsync(pg);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private SalesFilter Filter(DateOnly from, DateOnly to, string[] stores) =>
        new(from, to, _options.Stores.Where(s => stores.Contains(s.Code)).Select(s => s.Key).ToArray(), []);

    /// <summary>Revenue in pence per key (an expression over f, s, p, c) over [from, to] in the given stores, from fct_sales.</summary>
    private async Task<Dictionary<string, long>> FactsAsync(string key, DateOnly from, DateOnly to, string[] stores)
    {
        await using var cmd = _w.Db.CreateCommand($"""
            SELECT {key}, sum(f.line_total_pence)::bigint
            FROM marts.fct_sales f JOIN marts.dim_store s USING (store_key) JOIN marts.dim_product p USING (product_key)
            JOIN marts.dim_category c ON c.category_key = p.category_key
            WHERE f.sale_date BETWEEN $1 AND $2 AND (cardinality($3::text[]) = 0 OR s.store_code = ANY ($3)) GROUP BY 1
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = from });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to });
        cmd.Parameters.Add(new NpgsqlParameter { Value = stores });
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            result[r.GetString(0)] = r.GetInt64(1);
        }
        return result;
    }

    [Theory]
    [InlineData("2025-11-01", "2025-11-30")]
    [InlineData("2025-10-18", "2025-12-31")]
    [InlineData("2025-12-23", "2025-12-23")]
    public async Task Stores_and_categories_carry_the_previous_period_and_last_year_equal_to_the_facts(string fromText, string toText)
    {
        var from = DateOnly.Parse(fromText, CultureInfo.InvariantCulture);
        var to = DateOnly.Parse(toText, CultureInfo.InvariantCulture);
        var f = Filter(from, to, []);
        var stores = await _q.GetStoresComparedAsync(f, true, default);
        var categories = await _q.GetCategoriesComparedAsync(f, true, default);
        foreach (var (rows, key) in new[] { (stores, "s.store_code"), (categories, "c.category_name") })
        {
            var previous = await FactsAsync(key, f.Previous.From, f.Previous.To, []);
            var lastYear = await FactsAsync(key, f.LastYear.From, f.LastYear.To, []);
            var now = await FactsAsync(key, from, to, []);
            Assert.Equal(now.OrderBy(kv => kv.Key), rows.Select(r => KeyValuePair.Create(r.Code, r.RevenuePence)).OrderBy(kv => kv.Key));
            Assert.All(rows, r => Assert.Equal(previous.GetValueOrDefault(r.Code), r.PreviousRevenuePence));
            Assert.All(rows, r => Assert.Equal(lastYear.GetValueOrDefault(r.Code), r.LastYearRevenuePence));
            Assert.Contains(rows, r => r.LastYearRevenuePence > 0);
        }
        var top = await _q.GetTopProductsComparedAsync(f, TopBy.Revenue, 10, true, default);
        var skuPrevious = await FactsAsync("p.sku", f.Previous.From, f.Previous.To, []);
        var skuLastYear = await FactsAsync("p.sku", f.LastYear.From, f.LastYear.To, []);
        Assert.All(top, p => Assert.Equal(skuPrevious.GetValueOrDefault(p.Sku), p.PreviousRevenuePence));
        Assert.All(top, p => Assert.Equal(skuLastYear.GetValueOrDefault(p.Sku), p.LastYearRevenuePence));
    }

    [Fact]
    public async Task The_product_list_pages_through_every_product_with_its_previous_period_and_a_count()
    {
        var f = Filter(new DateOnly(2025, 10, 5), new DateOnly(2025, 12, 20), ["HEN", "BAR"]);
        var now = await FactsAsync("p.sku", f.From, f.To, ["HEN", "BAR"]);
        var before = await FactsAsync("p.sku", f.Previous.From, f.Previous.To, ["HEN", "BAR"]);
        var products = await _w.Db.ScalarAsync<int>("SELECT count(*) FROM marts.dim_product");
        var seen = new List<ProductRow>();
        for (var offset = 0; ; offset += 200)
        {
            var page = await _q.GetProductsAsync(f, new ProductListRequest(null, ProductSort.Revenue, false, offset, 200), default);
            Assert.Equal(products, page.Total);
            seen.AddRange(page.Rows);
            if (page.Rows.Count < 200)
            {
                break;
            }
        }
        Assert.Equal(products, seen.Select(r => r.Sku).Distinct().Count());
        Assert.All(seen, r => Assert.Equal(now.GetValueOrDefault(r.Sku), r.RevenuePence));
        Assert.All(seen, r => Assert.Equal(before.GetValueOrDefault(r.Sku), r.PreviousRevenuePence));
        Assert.Equal(seen.Select(r => r.RevenuePence).Order(), seen.Select(r => r.RevenuePence));

        // By change, biggest rise first; products with nothing to compare with come last.
        var byChange = await _q.GetProductsAsync(f, new ProductListRequest(null, ProductSort.Change, true, 0, null), default);
        var changes = byChange.Rows.Select(r => PeriodComparison.ChangePercent(r.RevenuePence, r.PreviousRevenuePence)).ToArray();
        var known = changes.TakeWhile(c => c is not null).ToArray();
        Assert.All(changes.Skip(known.Length), c => Assert.Null(c));
        Assert.Equal(known.OrderDescending(), known);

        // Past the last page: no rows, still the count.
        var past = await _q.GetProductsAsync(f, new ProductListRequest(null, ProductSort.Revenue, true, 100_000, 50), default);
        Assert.Empty(past.Rows);
        Assert.Equal(products, past.Total);
    }

    [Fact]
    public async Task A_product_has_its_days_stores_and_shares_equal_to_the_facts_and_an_unknown_sku_is_null()
    {
        var f = Filter(new DateOnly(2025, 10, 20), new DateOnly(2025, 12, 10), ["HEN", "MLH", "BAR"]);
        var sku = (await FactsAsync("p.sku", f.From, f.To, ["HEN", "MLH", "BAR"])).MaxBy(kv => kv.Value).Key;
        var d = (await _q.GetProductAsync(f, sku, default))!;
        var byDay = await FactsAsync("f.sale_date::text", f.From, f.To, ["HEN", "MLH", "BAR"]);
        Assert.Equal(f.Days, d.Daily.Count);
        string[] three = ["HEN", "MLH", "BAR"];
        var productByDay = await FactsAsync($"CASE WHEN p.sku = '{sku}' THEN f.sale_date::text ELSE 'other' END", f.From, f.To, three);
        Assert.All(d.Daily, day =>
            Assert.Equal(productByDay.GetValueOrDefault(day.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), day.RevenuePence));
        Assert.Equal(d.RevenuePence, d.Daily.Sum(x => x.RevenuePence));
        var stores = await FactsAsync($"CASE WHEN p.sku = '{sku}' THEN s.store_code ELSE 'other' END", f.From, f.To, ["HEN", "MLH", "BAR"]);
        Assert.Equal(stores.Where(kv => kv.Key != "other").OrderBy(kv => kv.Key),
            d.Stores.Select(s => KeyValuePair.Create(s.Code, s.RevenuePence)).OrderBy(kv => kv.Key));
        var inCategory = $"CASE WHEN c.category_name = '{d.Category.Replace("'", "''")}' THEN 'in' ELSE 'out' END";
        var category = await FactsAsync(inCategory, f.From, f.To, three);
        Assert.Equal(category["in"], d.CategoryRevenuePence);
        Assert.Equal(byDay.Values.Sum(), d.TotalRevenuePence);

        Assert.Null(await _q.GetProductAsync(f, "'; DROP TABLE marts.dim_product; --", default));
    }
}
