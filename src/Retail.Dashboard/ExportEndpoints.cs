using System.Globalization;
using Npgsql;
using Retail.Dashboard.State;
using Retail.Data.Queries;

namespace Retail.Dashboard;

/// <summary>CSV downloads of what is on screen, for the same URL filter.</summary>
internal static class ExportEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/export/top-products.csv", (HttpContext http, SalesQueries q, TimeProvider clock, CancellationToken ct) =>
            Export(http, q, clock, ct, async (view, filter) =>
            {
                var rows = await q.GetTopProductsAsync(filter, view.Top, 10, ct);
                return Csv(http, "top-products",
                    [new("rank", true), new("sku"), new("product"), new("category"), new("units", true), new("revenue", true),
                    new("share_percent", true)],
                    rows.Select(r => new[] { Inv(r.Rank), r.Sku, r.Product, r.Category, Inv(r.Units), Money(r.RevenuePence),
                        r.Share.ToString("0.00", CultureInfo.InvariantCulture) }));
            }));
        app.MapGet("/export/daily.csv", (HttpContext http, SalesQueries q, TimeProvider clock, CancellationToken ct) =>
            Export(http, q, clock, ct, async (view, filter) =>
            {
                var rows = await q.GetDailyAsync(filter, ct);
                return Csv(http, "daily-revenue", [new("date", true), new("revenue", true), new("revenue_7day_average", true)],
                    rows.Select(r => new[] { r.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Money(r.RevenuePence),
                        (r.MovingAverage7Pence / 100m).ToString("0.00", CultureInfo.InvariantCulture) }));
            }));
        app.MapGet("/export/mix.csv", (HttpContext http, SalesQueries q, TimeProvider clock, CancellationToken ct) =>
            Export(http, q, clock, ct, async (view, filter) => MixCsv(http, await q.GetMixAsync(filter, ct))));
        app.MapGet("/export/heat-cell.csv", (HttpContext http, SalesQueries q, TimeProvider clock, CancellationToken ct) =>
            Export(http, q, clock, ct, async (view, filter) => view.Cell is { } cell
                ? HeatCellCsv(http, await q.GetHeatCellAsync(filter, cell.IsoDayOfWeek, cell.Hour, ct))
                : Results.Text("cell= is missing: give the heatmap cell as weekday-hour, e.g. cell=5-14 for Friday 14:00.\n",
                    "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest)));
        app.MapGet("/export/products.csv", (HttpContext http, SalesQueries q, TimeProvider clock, CancellationToken ct) =>
            Export(http, q, clock, ct, (view, filter) => ProductsAsync(http, q, filter, ct)));
    }

    /// <summary>The mix card's three tables in one file: a breakdown column says which (channel, payment_method or loyalty).</summary>
    private static IResult MixCsv(HttpContext http, SalesMix mix) => Csv(http, "mix",
        [new("breakdown"), new("name"), new("net_revenue", true), new("revenue_share_percent", true), new("sales_receipts", true),
            new("sales_receipt_share_percent", true)],
        new[] { ("channel", mix.Channels), ("payment_method", mix.Payments), ("loyalty", mix.Loyalty) }
            .SelectMany(part => part.Item2.Select(p => new[]
        {
            part.Item1, p.Name, Money(p.RevenuePence), Percent(SalesMix.RevenueSharePercent(p, part.Item2)), Inv(p.SalesReceipts),
            Percent(SalesMix.ReceiptSharePercent(p, part.Item2)),
        })));

    /// <summary>The heat cell panel's two tables in one file: revenue of that weekday-hour by store and by category.</summary>
    private static IResult HeatCellCsv(HttpContext http, HeatCellDetail cell) => Csv(http, "heat-cell",
        [new("iso_weekday", true), new("hour", true), new("breakdown"), new("code"), new("name"), new("revenue", true),
            new("revenue_per_weekday", true)],
        new[] { ("store", cell.ByStore), ("category", cell.ByCategory) }.SelectMany(part => part.Item2.Select(r => new[]
        {
            Inv(cell.IsoDayOfWeek), Inv(cell.Hour), part.Item1, r.Code, r.Name, Money(r.RevenuePence),
            cell.PerDayPence(r.RevenuePence) is { } perDay ? Money(perDay) : "",
        })));

    private static string Percent(decimal p) => p.ToString("0.00", CultureInfo.InvariantCulture);

    private static readonly CsvColumn[] ProductColumns =
    [
        new("sku"), new("product"), new("category"), new("units", true), new("revenue", true),
        new("previous_period_revenue", true), new("change_percent", true),
    ];

    /// <summary>
    /// The whole filtered, searched and sorted product list, written row by row as the query returns it. The first row is
    /// read before the response starts, so a database outage is still a 503; one mid-way aborts the response rather than
    /// leaving a file that looks complete.
    /// </summary>
    private static async Task<IResult> ProductsAsync(HttpContext http, SalesQueries q, SalesFilter filter, CancellationToken ct)
    {
        var list = ProductListQuery.Parse(http.Request.Query.ToDictionary(kv => kv.Key, kv => kv.Value));
        if (list.Problems.Count > 0)
        {
            return Results.Text(list.Problems[0] + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }
        var options = await q.GetFilterOptionsAsync(ct);
        var compared = PeriodCoverage.IsFullyLoaded(filter, filter.Previous, options.FirstDate);
        var rows = q.StreamProductsAsync(filter, list.ToRequest(), ct).GetAsyncEnumerator(ct);
        var any = await rows.MoveNextAsync();
        http.Response.Headers.ContentDisposition = "attachment; filename=\"products.csv\"";
        return Results.Stream(async body =>
        {
            await using var _ = rows;
            await using var writer = new StreamWriter(body, new System.Text.UTF8Encoding(false));
            try
            {
                await writer.WriteAsync(CsvExport.Header(ProductColumns));
                for (var more = any; more; more = await rows.MoveNextAsync())
                {
                    var r = rows.Current;
                    var change = compared ? PeriodComparison.ChangePercent(r.RevenuePence, r.PreviousRevenuePence) : null;
                    await writer.WriteAsync(CsvExport.Line(ProductColumns,
                    [
                        r.Sku, r.Product, r.Category, Inv(r.Units), Money(r.RevenuePence),
                        compared ? Money(r.PreviousRevenuePence) : "", change?.ToString("0.0", CultureInfo.InvariantCulture) ?? "",
                    ]));
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                http.Abort();
            }
        }, "text/csv; charset=utf-8");
    }

    /// <summary>The URL's view, clamped like the page's; a value that does not parse is a 400 naming it, a database outage a 503.</summary>
    private static async Task<IResult> Export(HttpContext http, SalesQueries q, TimeProvider clock, CancellationToken ct, Func<ViewQuery,
        SalesFilter, Task<IResult>> write)
    {
        var view = ViewQuery.Parse(http.Request.Query.ToDictionary(kv => kv.Key, kv => kv.Value));
        if (view.Problems.Count > 0)
        {
            return Results.Text(view.Problems[0] + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }
        try
        {
            var options = await q.GetFilterOptionsAsync(ct);
            var filter = view.ToFilter(options, DateOnly.FromDateTime(clock.GetLocalNow().Date));
            return await write(view, filter);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException
            or InvalidOperationException { InnerException: NpgsqlException })
        {
            return Results.Text("the warehouse database is not answering: try again when it is back\n", "text/plain; charset=utf-8",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static string Inv(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Money(long pence) => (pence / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static IResult Csv(HttpContext http, string name, CsvColumn[] columns, IEnumerable<string[]> rows)
    {
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.csv\"";
        return Results.Text(CsvExport.Write(columns, rows), "text/csv; charset=utf-8");
    }
}
