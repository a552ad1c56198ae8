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
