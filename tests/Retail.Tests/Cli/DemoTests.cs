using System.Globalization;
using Npgsql;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Cli;

[Collection(PostgresCollection.Name)]
public sealed class DemoTests(PostgresFixture pg)
{
    [Fact]
    public async Task Demo_serves_the_warehouse_totals_and_a_second_demo_duplicates_nothing()
    {
        using var dir = new TempDir();
        var db = await pg.CreateDatabaseAsync("demo");
        await using var ds = pg.Endpoint(db).CreateDataSource();
        long revenue;
        await using (var app = await DashboardProcess.StartAsync(db, dir.Path, "demo", "--rows", "30000"))
        {
            await using var cmd = ds.CreateCommand("SELECT sum(line_total_pence)::bigint FROM marts.fct_sales");
            revenue = (long)(await cmd.ExecuteScalarAsync())!;
            using var http = new HttpClient();
            var csv = (await http.GetStringAsync($"{app.Url}/export/daily.csv?preset=all")).Split('\n',
                StringSplitOptions.RemoveEmptyEntries);
            var served = csv.Skip(1).Sum(l => decimal.Parse(l.Split(',')[1], CultureInfo.InvariantCulture));
            Assert.Equal(revenue / 100m, served);
        }
        var again = await CliProcess.RunAsync(dir.Path, CliProcess.Env(db), "demo", "--rows", "30000", "--no-serve");
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("already generated", again.Stdout);
        Assert.Contains("files: 0 loaded", again.Stdout);
        // --no-serve ends with a summary with elapsed time, then the command that serves what it built.
        var last = again.Stdout.Trim().Split('\n')[^2..];
        Assert.Matches(@"^pipeline done in \d+\.\ds: 0 rows loaded now, \d+/\d+ checks passed$", last[0]);
        Assert.Equal("next: retail dashboard (serves http://127.0.0.1:8501; Ctrl+C stops it)", last[1]);
        await using var count = ds.CreateCommand("SELECT count(*), sum(line_total_pence)::bigint FROM marts.fct_sales");
        await using var r = await count.ExecuteReaderAsync();
        await r.ReadAsync();
        Assert.Equal(30_000, r.GetInt64(0));
        Assert.Equal(revenue, r.GetInt64(1));
    }
}
