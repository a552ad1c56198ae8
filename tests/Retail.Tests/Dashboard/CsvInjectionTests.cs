using System.Net;
using nietras.SeparatedValues;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// Product names that a spreadsheet would run as formulas, loaded by the real loader from a staging file and downloaded
/// from a real dashboard: every such cell is neutralised, and a returns-only product's negative revenue stays a number.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CsvInjectionTests(PostgresFixture pg)
{
    private const string Header = "transaction_id,line_no,sold_at,store_code,store_name,store_town,sku,product_name,category,"
        + "subcategory,brand,quantity,unit_price,discount,line_total,payment_method,channel,customer_id,customer_name,return_of";

    private static readonly (string Sku, string Name, int Quantity, string Price, string Total, string ReturnOf)[] Lines =
    [
        ("INJ/0001", "=HYPERLINK(\"http://x\",\"y\")", 2, "10.00", "20.00", ""),
        ("INJ/0002", "+1+1", 1, "5.00", "5.00", ""),
        ("INJ/0003", "-1+1", -1, "7.50", "-7.50", "2025060201000001"),
        ("INJ/0004", "@SUM(1+1)", 3, "1.00", "3.00", ""),
        ("INJ/0005", "\tTabbed", 1, "2.00", "2.00", ""),
        ("INJ/0006", "Plain, with \"quotes\"", 1, "4.00", "4.00", ""),
    ];

    private static string Field(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    [Fact]
    public async Task Formula_like_product_names_are_neutralised_in_the_download()
    {
        var db = await pg.CreateDatabaseAsync("csvinj");
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "sales_2025-06-02.csv");
        var lines = Lines.Select((l, i) => string.Join(',',
            $"202506020100000{i + 1}", "1", "2025-06-02T10:15:00+01:00", "HEN", "Argos Hendon", "Hendon", l.Sku, Field(l.Name),
            "Toys", "Games", "Acme",
            l.Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture), l.Price, "0.00", l.Total, "cash", "in_store",
            "", "", l.ReturnOf));
        await File.WriteAllTextAsync(file, Header + "\n" + string.Join("\n", lines) + "\n");
        var load = await CliProcess.RunAsync(dir.Path, CliProcess.Env(db), "load", file);
        Assert.True(load.ExitCode == 0, load.All);

        await using var app = await DashboardProcess.StartAsync(db, dir.Path);
        using var http = new HttpClient();
        using var response = await http.GetAsync($"{app.Url}/export/top-products.csv?preset=all");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csv = await response.Content.ReadAsStringAsync();

        using var reader = Sep.Reader(o => o with { Unescape = true }).FromText(csv);
        var rows = reader.Enumerate(r => (Sku: r["sku"].ToString(), Product: r["product"].ToString(), Revenue: r["revenue"].ToString()))
            .ToDictionary(r => r.Sku);
        Assert.Equal(Lines.Length, rows.Count);
        foreach (var l in Lines)
        {
            var dangerous = "=+-@\t\r".Contains(l.Name[0]);
            Assert.Equal(dangerous ? "'" + l.Name : l.Name, rows[l.Sku].Product);
        }
        // The raw text: each neutralised cell is quoted, and the return's revenue is a bare negative number.
        Assert.Contains(",\"'+1+1\",", csv);
        Assert.Contains(",\"'@SUM(1+1)\",", csv);
        Assert.Equal("-7.50", rows["INJ/0003"].Revenue);
        Assert.Contains(",-7.50,", csv);
    }
}
