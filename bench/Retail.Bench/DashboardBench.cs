using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;
using Retail.Core.Generation;
using Retail.Dashboard;
using Retail.Data.Configuration;
using Retail.Data.Queries;

namespace Retail.Bench;

/// <summary>
/// Server-side time from a filter change to every widget's data (KPIs with comparisons, daily series, stores,
/// categories, top products, heatmap, then the channel and payment mix, which the page asks for once the rest has
/// arrived) over random filter combinations, and first page load to interactive in
/// headless Chromium. Usage: Retail.Bench DASHBOARD_URL [SAMPLES] [DASHBOARD_PID]; the database comes from DB_* / RETAIL_HOME.
/// </summary>
internal static class DashboardBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var url = args.Length > 0 ? args[0] : throw new ArgumentException("usage: Retail.Bench DASHBOARD_URL [SAMPLES]");
        var samples = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
        var settings = DatabaseSettings.FromVariables(Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
        var endpoint = await WarehouseEndpoint.ResolveAsync(settings, CancellationToken.None);
        await using var db = DashboardApp.ReadOnlyDataSource(endpoint);
        var q = new SalesQueries(db);
        var options = await q.GetFilterOptionsAsync(CancellationToken.None);
        var rng = new Prng(2024);

        // First, while the dashboard has just started (bench/dashboard.sh starts it right before): no cold fill to wait for.
        var firstLoad = await FirstInteractiveAsync(url);
        var fineOnly = new SalesQueries(db) { UseMonthRollups = false };
        var noWeeks = new SalesQueries(db) { UseWeekRollups = false };
        var storeRowsOnly = new SalesQueries(db) { UseAllStoreRows = false };
        var filters = Enumerable.Range(0, samples + 20).Select(_ => RandomFilter(options, ref rng)).ToList();
        var layered = new List<double>();
        var reference = new List<double>();
        var monthsOnly = new List<double>();
        var summedStores = new List<double>();
        var widgets = new Dictionary<string, List<double>>
        {
            ["kpis (3 periods)"] = [], ["top products"] = [], ["daily series"] = [], ["heatmap"] = [],
            ["kpis (3 periods), no week layer"] = [], ["top products, no week layer"] = [],
            ["kpis (3 periods), store rows summed"] = [], ["top products, store rows summed"] = [],
            ["channel and payment mix"] = [], ["channel and payment mix, store rows summed"] = [],
            ["every widget but the mix (the measure before the mix joined it)"] = [],
        };
        // The mix for all stores is where its all-store rows are read: its filters without a store, on their own.
        var allStoresMix = new List<double>();
        var allStoresMixSummed = new List<double>();
        for (var i = 0; i < filters.Count; i++)
        {
            var (f, top) = filters[i];
            var compare = options.FirstDate <= f.LastYear.From;
            // What the dashboard does on a filter change: which months are current, then every widget in SQL, then the mix.
            var layeredMs = await Time(() => FilterChangeAsync(q, f, top, compare));
            var referenceMs = await Time(() => FilterChangeAsync(fineOnly, f, top, compare));
            var monthsOnlyMs = await Time(() => FilterChangeAsync(noWeeks, f, top, compare));
            var summedStoresMs = await Time(() => FilterChangeAsync(storeRowsOnly, f, top, compare));
            if (i >= 20)
            {
                layered.Add(layeredMs);
                reference.Add(referenceMs);
                monthsOnly.Add(monthsOnlyMs);
                summedStores.Add(summedStoresMs);
                widgets["kpis (3 periods)"].Add(await Time(() => q.GetKpisAsync(f, true, CancellationToken.None)));
                widgets["top products"].Add(await Time(() => q.GetTopProductsAsync(f, top, 10, CancellationToken.None)));
                widgets["daily series"].Add(await Time(() => q.GetDailyAsync(f, CancellationToken.None)));
                widgets["heatmap"].Add(await Time(() => q.GetHeatmapAsync(f, CancellationToken.None)));
                widgets["kpis (3 periods), no week layer"].Add(
                    await Time(() => noWeeks.GetKpisAsync(f, true, CancellationToken.None)));
                widgets["top products, no week layer"].Add(
                    await Time(() => noWeeks.GetTopProductsAsync(f, top, 10, CancellationToken.None)));
                widgets["kpis (3 periods), store rows summed"].Add(
                    await Time(() => storeRowsOnly.GetKpisAsync(f, true, CancellationToken.None)));
                widgets["top products, store rows summed"].Add(
                    await Time(() => storeRowsOnly.GetTopProductsAsync(f, top, 10, CancellationToken.None)));
                widgets["every widget but the mix (the measure before the mix joined it)"].Add(
                    await Time(() => q.GetDashboardAsync(f, top, compare, CancellationToken.None)));
                var mixMs = await Time(() => q.GetMixAsync(f, CancellationToken.None));
                var mixSummedMs = await Time(() => storeRowsOnly.GetMixAsync(f, CancellationToken.None));
                widgets["channel and payment mix"].Add(mixMs);
                widgets["channel and payment mix, store rows summed"].Add(mixSummedMs);
                if (f.Stores.Count == 0)
                {
                    allStoresMix.Add(mixMs);
                    allStoresMixSummed.Add(mixSummedMs);
                }
            }
        }

        var lines = await CountLinesAsync(db);
        var rss = args.Length > 2 ? RssMiB(int.Parse(args[2], CultureInfo.InvariantCulture)) : double.NaN;
        Console.WriteLine(
            $"lines loaded: {lines:N0}; {samples} random filter combinations (stores, categories, presets and custom ranges)");
        Console.WriteLine();
        Console.WriteLine("| measure | p50 ms | p95 ms |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| **all widgets' data after a filter change, the mix included — month and week rollups where current + "
            + $"fine rollups (what the dashboard does)** | **{P(layered, 50):F1}** | **{P(layered, 95):F1}** |");
        Console.WriteLine($"| all widgets' data — month + fine rollups, no week layer (same run) | {P(monthsOnly, 50):F1} | "
            + $"{P(monthsOnly, 95):F1} |");
        Console.WriteLine($"| all widgets' data — store rows summed for all stores, not the all-store rows (same run) | "
            + $"{P(summedStores, 50):F1} | {P(summedStores, 95):F1} |");
        Console.WriteLine($"| all widgets' data — fine per-batch rollups only (the reference, same run) | {P(reference, 50):F1} | "
            + $"{P(reference, 95):F1} |");
        Console.WriteLine($"| ratio layered / reference (p50, p95) | {P(layered, 50) / P(reference, 50):F2} | "
            + $"{P(layered, 95) / P(reference, 95):F2} |");
        foreach (var (name, values) in widgets)
        {
            Console.WriteLine($"| layered, {name} alone | {P(values, 50):F1} | {P(values, 95):F1} |");
        }
        Console.WriteLine($"| layered, channel and payment mix for all stores alone ({allStoresMix.Count} filters without a store): "
            + $"all-store rows | {P(allStoresMix, 50):F1} | {P(allStoresMix, 95):F1} |");
        Console.WriteLine($"| layered, channel and payment mix for all stores alone (the same filters): store rows summed | "
            + $"{P(allStoresMixSummed, 50):F1} | {P(allStoresMixSummed, 95):F1} |");
        Console.WriteLine($"| ratio all-store rows / store rows summed, mix for all stores (p50, p95) | "
            + $"{P(allStoresMix, 50) / P(allStoresMixSummed, 50):F2} | {P(allStoresMix, 95) / P(allStoresMixSummed, 95):F2} |");
        Console.WriteLine($"| first page load to interactive right after a dashboard start, headless Chromium (first visit, then 5 more) "
            + $"| {firstLoad[0]:F0} | {P(firstLoad.Skip(1).ToList(), 95):F0} |");
        Console.WriteLine($"| dashboard RSS after the run (MiB) | {rss:F0} | |");
        return 0;
    }

    /// <summary>A filter change as the page makes it: every widget's data, then the mix card's (it reloads with that data).</summary>
    private static async Task<SalesMix> FilterChangeAsync(SalesQueries q, SalesFilter f, TopBy top, bool compare)
    {
        await q.GetDashboardAsync(f, top, compare, CancellationToken.None);
        return await q.GetMixAsync(f, CancellationToken.None);
    }

    private static async Task<double> Time<T>(Func<Task<T>> f)
    {
        var sw = Stopwatch.StartNew();
        await f();
        return sw.Elapsed.TotalMilliseconds;
    }

    private static double P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    private static (SalesFilter, TopBy) RandomFilter(FilterOptions o, ref Prng rng)
    {
        var last = o.LastDate!.Value;
        var first = o.FirstDate!.Value;
        var (from, to) = rng.Next(7) switch
        {
            0 => (last.AddDays(-6), last),
            1 => (last.AddDays(-29), last),
            2 => (last.AddDays(-89), last),
            3 => (new DateOnly(last.Year, last.Month, 1), last),
            4 => (new DateOnly(last.Year, 1, 1), last),
            5 => (first, last),
            _ => Custom(first, last, ref rng),
        };
        var stores = rng.Chance(0.5) ? [] : Pick(o.Stores, rng.Next(1, 5), ref rng);
        var categories = rng.Chance(0.5) ? [] : Pick(o.Categories, rng.Next(1, 4), ref rng);
        return (new SalesFilter(from < first ? first : from, to, stores, categories), rng.Chance(0.5) ? TopBy.Revenue : TopBy.Units);
    }

    private static short[] Pick(IReadOnlyList<Choice> choices, int count, ref Prng rng)
    {
        var keys = choices.Select(c => c.Key).ToList();
        var picked = new List<short>();
        while (picked.Count < count && keys.Count > 0)
        {
            var i = rng.Next(keys.Count);
            picked.Add(keys[i]);
            keys.RemoveAt(i);
        }
        return picked.ToArray();
    }

    private static (DateOnly, DateOnly) Custom(DateOnly first, DateOnly last, ref Prng rng)
    {
        var span = last.DayNumber - first.DayNumber;
        var a = first.AddDays(rng.Next(span + 1));
        var b = first.AddDays(rng.Next(span + 1));
        return a <= b ? (a, b) : (b, a);
    }

    /// <summary>Resident set of the dashboard process, from /proc (Linux).</summary>
    private static double RssMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static async Task<long> CountLinesAsync(Npgsql.NpgsqlDataSource db)
    {
        await using var cmd = db.CreateCommand(
            "SELECT coalesce(sum(rows_loaded), 0)::bigint FROM ops.load_batches WHERE status = 'loaded'");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    public static async Task<List<double>> FirstInteractiveAsync(string url)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        });
        var times = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            await using var context = await browser.NewContextAsync();
            var page = await context.NewPageAsync();
            var sw = Stopwatch.StartNew();
            await page.GotoAsync(url);
            await page.Locator("#dashboard[data-ready=true] [data-testid=kpi-revenue]").WaitForAsync(new() { Timeout = 60_000 });
            times.Add(sw.Elapsed.TotalMilliseconds); // the first visit is the one right after the start: no cold fill to wait for
        }
        return times;
    }
}
