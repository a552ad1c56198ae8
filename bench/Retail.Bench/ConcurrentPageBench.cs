using System.Diagnostics;
using System.Globalization;

namespace Retail.Bench;

/// <summary>
/// N concurrent clients fetching the dashboard page (GET /, the server-side render) back to back, bounded in time and
/// count. 'page' records one phase's latencies to a file; 'report' prints p50/p95/p99 per phase against the first.
///   Retail.Bench page URL CLIENTS MAX_SECONDS STOP_FILE OUT_FILE   (stops when STOP_FILE appears, or at MAX_SECONDS)
///   Retail.Bench report LABEL=FILE [LABEL=FILE…]
/// </summary>
internal static class ConcurrentPageBench
{
    private const int MaxRequests = 200_000;

    public static async Task<int> PageAsync(string[] args)
    {
        var (url, clients, seconds, stopFile, outFile) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture),
            int.Parse(args[2], CultureInfo.InvariantCulture), args[3], args[4]);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(120) };
        var latencies = new List<double>();
        var errors = 0;
        var issued = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && !File.Exists(stopFile))
            {
                await Task.Delay(100);
            }
            await stop.CancelAsync();
        });
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref issued) <= MaxRequests)
            {
                var t = Stopwatch.StartNew();
                try
                {
                    using var response = await http.GetAsync(url);
                    var body = await response.Content.ReadAsStringAsync();
                    // A 200 without the dashboard in it (e.g. an error page) is not a page.
                    var ok = response.IsSuccessStatusCode && body.Contains("id=\"dashboard\"", StringComparison.Ordinal);
                    lock (latencies)
                    {
                        if (ok)
                        {
                            latencies.Add(t.Elapsed.TotalMilliseconds);
                        }
                        else
                        {
                            errors++;
                        }
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        await watcher;
        await File.WriteAllLinesAsync(outFile,
            [$"errors {errors}", .. latencies.Select(l => l.ToString("0.###", CultureInfo.InvariantCulture))]);
        return 0;
    }

    public static int Report(string[] args)
    {
        Console.WriteLine("| phase | pages | errors | p50 ms | p95 ms | p99 ms | max ms | p95 vs first |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        double? reference = null;
        foreach (var arg in args)
        {
            var (label, file) = (arg[..arg.IndexOf('=')], arg[(arg.IndexOf('=') + 1)..]);
            var lines = File.ReadAllLines(file);
            var errors = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
            var ms = lines.Skip(1).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).Order().ToArray();
            if (ms.Length == 0)
            {
                Console.WriteLine($"| {label} | 0 | {errors} | – | – | – | – | – |");
                continue;
            }
            double P(double q) => ms[Math.Min(ms.Length - 1, (int)Math.Ceiling(q * ms.Length) - 1)];
            reference ??= P(0.95);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {label} | {ms.Length:N0} | {errors} | {P(0.50):0} | {P(0.95):0} | {P(0.99):0} | {ms[^1]:0} | "
                    + $"{P(0.95) / reference:0.00}× |"));
        }
        return 0;
    }
}
