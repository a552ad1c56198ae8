using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace Retail.Bench;

/// <summary>Page loads to interactive right after a dashboard start: prints one line of milliseconds per visit.</summary>
internal static class StartBench
{
    public static async Task<int> FirstVisitsAsync(string[] args)
    {
        var times = await DashboardBench.FirstInteractiveAsync(args[0]);
        Console.WriteLine(string.Join(' ', times.Select(t => t.ToString("F0", CultureInfo.InvariantCulture))));
        return 0;
    }

    /// <summary>Notes, in the page, when the WebSocket opened, its first message, and when #dashboard became ready.</summary>
    private const string Probe = """
        (() => {
          window.__start = { wsOpen: 0, wsFirst: 0, ready: 0 };
          const Ws = window.WebSocket;
          window.WebSocket = class extends Ws {
            constructor(...a) {
              super(...a);
              this.addEventListener('open', () => window.__start.wsOpen ||= performance.now());
              this.addEventListener('message', () => window.__start.wsFirst ||= performance.now());
            }
          };
          new MutationObserver(() => {
            const d = document.querySelector('#dashboard[data-ready=true] [data-testid=kpi-revenue]');
            if (d && !window.__start.ready) window.__start.ready = performance.now();
          }).observe(document, { subtree: true, childList: true, attributes: true });
        })()
        """;

    /// <summary>
    /// Where a visit's time goes (ms from navigation start): the server-rendered page's first byte and last byte, the
    /// page's scripts loaded (DOMContentLoaded), the interactive circuit's WebSocket opened and its first message, and the
    /// page ready with its figures. One line per visit, the first right after a start.
    /// </summary>
    public static async Task<int> SplitAsync(string[] args)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        Console.WriteLine("| visit | total | SSR first byte | SSR last byte | DOMContentLoaded | WebSocket open | first message | ready |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (var i = 0; i < 6; i++)
        {
            await using var context = await browser.NewContextAsync();
            await context.AddInitScriptAsync(Probe);
            var page = await context.NewPageAsync();
            var sw = Stopwatch.StartNew();
            await page.GotoAsync(args[0]);
            await page.Locator("#dashboard[data-ready=true] [data-testid=kpi-revenue]").WaitForAsync(new() { Timeout = 60_000 });
            var total = sw.Elapsed.TotalMilliseconds;
            var m = await page.EvaluateAsync<double[]>("""
                () => { const n = performance.getEntriesByType('navigation')[0];
                        return [n.responseStart, n.responseEnd, n.domContentLoadedEventEnd, window.__start.wsOpen,
                                window.__start.wsFirst, window.__start.ready]; }
                """);
            var marks = string.Join(" | ", m.Prepend(total).Select(v => v.ToString("F0", CultureInfo.InvariantCulture)));
            Console.WriteLine($"| {(i == 0 ? "first" : i.ToString(CultureInfo.InvariantCulture))} | {marks} |");
        }
        return 0;
    }
}
