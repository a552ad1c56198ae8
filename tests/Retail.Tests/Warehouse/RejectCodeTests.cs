using Retail.Core.Formats;
using Retail.Data.Loading;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Warehouse;

/// <summary>Quarantined rows carry a reason code beside the message, and a refused file's summary counts by code.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RejectCodeTests(PostgresFixture pg)
{
    private const string Good = "8,1,2025-12-01T09:00:00+00:00,HEN,Argos "
        + "Hendon,Hendon,X2,Other,Toys,Games,Acme,1,1.00,0.00,1.00,cash,in_store,,,";

    private static string Line(int lineNo, string store) =>
        Good.Replace("8,1,", $"8,{lineNo},", StringComparison.Ordinal).Replace(",HEN,", $",{store},", StringComparison.Ordinal);

    [Fact]
    public async Task Unknown_stores_group_under_one_code_whatever_the_code_they_name()
    {
        using var dir = new TempDir();
        var settings = await pg.CreateDatabaseAsync("rejectcode");
        await using var db = pg.Endpoint(settings).CreateDataSource();
        await Retail.Data.Warehouse.WarehouseSchema.ApplyAsync(db, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "a.csv"),
            $"{SalesCsv.Header}\n{Good}\n{Line(2, "XXA")}\n{Line(3, "XXB")}\n{Line(4, "XXC")}\n"
            + $"{Good.Replace(",1,1.00,", ",one,1.00,", StringComparison.Ordinal).Replace("8,1,", "8,5,", StringComparison.Ordinal)}\n");
        var report = await new WarehouseLoader(db, TimeProvider.System)
            .LoadAsync(WarehouseLoader.ResolveFiles([dir.Path]), new LoadOptions(), null, CancellationToken.None);

        // Four of five rejected: the file is refused, and its error counts the causes by code, not by message text.
        Assert.Equal(1, report.Failed);
        Assert.Contains("(3× store_code; 1× quantity)", report.Files[0].Error);
        Assert.Equal("quantity,store_code,store_code,store_code",
            await db.ScalarAsync<string>("SELECT string_agg(reason_code, ',' ORDER BY reason_code) FROM ops.rejected_rows"));
        Assert.Equal("unknown store_code 'XXB'", await db.ScalarAsync<string>("SELECT reason FROM ops.rejected_rows WHERE line_no = 4"));
    }
}
