using System.Globalization;
using Microsoft.Playwright;

namespace Retail.Bench;

/// <summary>
/// Where one filter change's time goes, measured in the page: the server's load of the view (the dashboard's
/// data-load-ms), the SignalR frames the browser received (when and how many bytes: render batches and JS interop calls),
/// and plotly's redraws (Plotly.react calls, timed by wrapping it). One row per sample, medians and p95 printed.
/// </summary>
internal sealed class BrowserSplit
{
    /// <summary>Installed before the page's scripts: notes every WebSocket message and every Plotly.react call.</summary>
    public const string Probe = """
        (() => {
          window.__frames = []; window.__plotly = [];
          const Ws = window.WebSocket;
          window.WebSocket = class extends Ws {
            constructor(...a) {
              super(...a);
              this.addEventListener('message', e => window.__frames.push([performance.now(),
                typeof e.data === 'string' ? e.data.length : (e.data.byteLength ?? e.data.size)]));
            }
          };
          let plotly;
          Object.defineProperty(window, 'Plotly', { configurable: true, get: () => plotly, set: v => {
            plotly = v;
            const react = v.react;
            v.react = function (...a) {
              const t = performance.now();
              const r = react.apply(this, a);
              window.__plotly.push([t, performance.now(), typeof a[0] === 'string' ? a[0] : a[0]?.id]);
              return r;
            };
          } });
        })()
        """;

    // What one sample saw, in ms from the click (bytes for Bytes).
    private readonly List<(double At, string[] Lines)> _details = [];
    private readonly List<double> _server = [], _dataFrame = [], _bytes = [], _frames = [], _reacts = [], _reactMs = [], _lastReact = [];

    /// <summary>Reads the sample that just finished (window.__bench) and clears the page's records for the next.</summary>
    public async Task AddAsync(IPage page)
    {
        var result = await page.EvaluateAsync<System.Text.Json.JsonElement>("""
            () => {
              const { t0, all } = window.__bench;
              const frames = window.__frames.filter(f => f[0] >= t0 && f[0] <= all);
              const big = frames.reduce((m, f) => f[1] > m[1] ? f : m, [t0, 0]);
              const reacts = window.__plotly.filter(p => p[0] >= t0);
              const ms = document.querySelector('#dashboard')?.dataset.loadMs;
              const load = ms === undefined ? null : Number(ms);
              const out = [load, big[0] - t0, frames.reduce((n, f) => n + f[1], 0), frames.length, reacts.length,
                reacts.reduce((n, p) => n + p[1] - p[0], 0), reacts.length ? Math.max(...reacts.map(p => p[1])) - t0 : null];
              const detail = frames.map(f => `frame +${(f[0] - t0).toFixed(0)} ms ${f[1]} B`)
                .concat(reacts.map(p => `react ${p[2]} +${(p[0] - t0).toFixed(0)} ms for ${(p[1] - p[0]).toFixed(0)} ms`));
              window.__frames = []; window.__plotly = [];
              return [out, detail];
            }
            """);
        var s = result[0].EnumerateArray().Select(e => e.ValueKind == System.Text.Json.JsonValueKind.Number ? e.GetDouble() : double.NaN)
            .ToArray();
        _details.Add((s[1], result[1].EnumerateArray().Select(e => e.GetString()!).ToArray()));
        _server.Add(s[0]);
        _dataFrame.Add(s[1]);
        _bytes.Add(s[2]);
        _frames.Add(s[3]);
        _reacts.Add(s[4]);
        _reactMs.Add(s[5]);
        _lastReact.Add(s[6]);
    }

    public void Print()
    {
        Console.WriteLine("Where the time goes (same samples; ms from Playwright's click call unless said):");
        Console.WriteLine();
        Console.WriteLine("| part | p50 | p95 |");
        Console.WriteLine("|---|---:|---:|");
        Row("server: load of the view (queries), data-load-ms", _server);
        Row("browser: biggest SignalR frame (the render batch with the data) arrived", _dataFrame);
        Row("browser: SignalR bytes received, click to all redrawn", _bytes);
        Row("browser: SignalR messages received", _frames);
        Row("plotly: Plotly.react calls", _reacts);
        Row("plotly: time inside Plotly.react (sum over charts)", _reactMs);
        Row("plotly: last Plotly.react finished", _lastReact);
        foreach (var chart in _details.SelectMany(d => d.Lines).Where(l => l.StartsWith("react ", StringComparison.Ordinal))
                     .GroupBy(l => l.Split(' ')[1]))
        {
            var ms = chart.Select(l => double.Parse(l.Split(' ')[^2], CultureInfo.InvariantCulture)).Order().ToList();
            var p95 = ms[Math.Min(ms.Count - 1, (int)(ms.Count * 0.95))];
            Console.WriteLine($"| plotly: {chart.Key} Plotly.react | {ms[ms.Count / 2]:0} | {p95:0} |");
        }
        // One typical sample in full: the one whose data frame came at the median time.
        var typical = _details.OrderBy(d => d.At).ElementAt(_details.Count / 2);
        Console.WriteLine();
        Console.WriteLine("A typical sample (median data-frame time), in order: " + string.Join("; ", typical.Lines));
    }

    private static void Row(string name, List<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).Order().ToList();
        string P(int p) => v.Count == 0 ? "n/a" : v[Math.Clamp((int)Math.Ceiling(p / 100.0 * v.Count) - 1, 0, v.Count - 1)]
            .ToString("0", CultureInfo.InvariantCulture);
        Console.WriteLine($"| {name} | {P(50)} | {P(95)} |");
    }
}
