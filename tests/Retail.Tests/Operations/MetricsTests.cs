using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Operations;

/// <summary>The Prometheus endpoints of the long-running commands serve the Meter "Retail" after real work.</summary>
[Collection(BrowserCollectionB.Name)]
public sealed class MetricsTests(PostgresFixture pg)
{
    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>The value of one series (name plus any labels that include <paramref name="label"/>), or null.</summary>
    private static double? Value(string scrape, string name, string? label = null)
    {
        foreach (var line in scrape.Split('\n'))
        {
            var m = Regex.Match(line, $@"^{Regex.Escape(name)}(\{{(?<labels>[^}}]*)\}})? (?<value>\S+)");
            if (m.Success && (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                return double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    /// <summary>Scrapes until the predicate holds (the exporter caches a scrape briefly), or returns the last scrape.</summary>
    private static async Task<string> ScrapeAsync(string url, Func<string, bool> ready)
    {
        using var http = new HttpClient();
        var text = "";
        for (var i = 0; i < 40; i++)
        {
            text = await http.GetStringAsync(url);
            if (ready(text))
            {
                break;
            }
            await Task.Delay(250);
        }
        return text;
    }

    [Fact]
    public async Task Schedule_serves_rows_generated_loaded_and_check_outcomes_after_its_catch_up_run()
    {
        using var dir = new TempDir();
        var env = CliProcess.Env(await pg.CreateDatabaseAsync("metrics"));
        var port = FreePort();
        // A cron far away: only the catch-up run for yesterday happens.
        using var p = CliProcess.Start(dir.Path, env, "schedule", "--cron", "0 2 1 1 *", "--rows-per-day", "300", "--metrics-port",
            port.ToString(CultureInfo.InvariantCulture));
        var output = new System.Text.StringBuilder();
        var waiting = new TaskCompletionSource();
        p.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
            if (e.Data?.StartsWith("next run at", StringComparison.Ordinal) == true)
            {
                waiting.TrySetResult();
            }
        };
        p.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try
        {
            var done = await Task.WhenAny(waiting.Task, p.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(120)));
            Assert.True(done == waiting.Task, $"the scheduler did not reach its wait: {output}");
            Assert.Contains($"metrics at http://127.0.0.1:{port}/metrics", output.ToString());
            Assert.Contains(": succeeded", output.ToString());

            var scrape = await ScrapeAsync($"http://127.0.0.1:{port}/metrics",
                s => Value(s, "retail_runs_total", "outcome=\"succeeded\"") is not null);
            Assert.Equal(300, Value(scrape, "retail_rows_generated_total"));
            Assert.Equal(300, Value(scrape, "retail_rows_loaded_total"));
            Assert.Equal(0, Value(scrape, "retail_rows_rejected_total"));
            Assert.Equal(1, Value(scrape, "retail_files_total", "outcome=\"loaded\""));
            Assert.Equal(1, Value(scrape, "retail_runs_total", "outcome=\"succeeded\""));
            Assert.Equal(1, Value(scrape, "retail_run_duration_seconds_count"));
            Assert.Equal(1, Value(scrape, "retail_load_duration_seconds_count"));
            Assert.True(Value(scrape, "retail_load_duration_seconds_sum") > 0, scrape);
            Assert.Equal(1, Value(scrape, "retail_checks_total", "check=\"reconciliation\""));
            Assert.Contains("outcome=\"pass\"", scrape);
            Assert.Null(Value(scrape, "retail_checks_total", "outcome=\"fail\""));
        }
        finally
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Dashboard_serves_query_latency_after_a_page_load()
    {
        var w = await pg.SharedAsync("browser", 40_000, new DateOnly(2025, 9, 1), new DateOnly(2025, 12, 31));
        using var dir = new TempDir();
        await using var app = await DashboardProcess.StartAsync(w.Settings, dir.Path);
        using var http = new HttpClient();
        // The page is rendered on the server first: that queries the rollups once.
        var page = await http.GetAsync(app.Url + "/?preset=all");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var scrape = await ScrapeAsync(app.Url + "/metrics", s => Value(s, "retail_dashboard_query_duration_seconds_count") >= 1);
        Assert.True(Value(scrape, "retail_dashboard_query_duration_seconds_count") >= 1, scrape);
        Assert.True(Value(scrape, "retail_dashboard_query_duration_seconds_sum") > 0, scrape);
        // No in-memory cube any more: nothing is filled at start.
        Assert.DoesNotContain("retail_cube", scrape, StringComparison.Ordinal);
    }
}
