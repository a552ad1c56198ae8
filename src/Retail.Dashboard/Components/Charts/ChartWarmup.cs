using Microsoft.JSInterop;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;

namespace Retail.Dashboard.Components.Charts;

/// <summary>
/// Serialises one chart of every plotly type the dashboard draws, through plotly's own interop, with a JS runtime that
/// discards the calls. Plotly.Blazor turns each chart into JSON with System.Text.Json by reflection, whose metadata for
/// these large types is built on first use: measured in the dashboard's process, the first chart took 369 ms to
/// serialise and the next 5 ms. The server-side warm-up render never reaches it (charts are drawn after the interactive
/// render), so without this the first visitor after a restart paid it.
/// </summary>
internal static class ChartWarmup
{
    /// <summary>Returns the interop calls that reached the discarding runtime, in order (for a test to see it ran).</summary>
    public static async Task<IReadOnlyList<string>> WarmAsync(CancellationToken ct)
    {
        var layout = ChartStyle.Layout(dark: false, 300, new Margin { L = 56, R = 16, T = 8, B = 40 });
        layout.XAxis = [new XAxis { Type = Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Date, TickFormat = "%d %b", FixedRange = true }];
        layout.YAxis =
        [
            ChartStyle.MoneyAxis(dark: false), new YAxis { Title = new Plotly.Blazor.LayoutLib.YAxisLib.Title { Text = "units" } },
        ];
        layout.Shapes = [new Shape { Line = new Plotly.Blazor.LayoutLib.ShapeLib.Line { Width = 1, Dash = "dash" } }];
        layout.Annotations = [new Annotation { Text = "BH", Font = new Plotly.Blazor.LayoutLib.AnnotationLib.Font { Size = 12 } }];
        var chart = new PlotlyChart
        {
#pragma warning disable BL0005 // never rendered: a carrier for the interop's arguments, not a component in a tree
            Layout = layout,
            Config = ChartStyle.Config(),
            Data =
            [
                new Scatter
                {
                    X = ["2025-01-01"], Y = [1m], CustomData = ["1 Jan 2025"], Mode = Plotly.Blazor.Traces.ScatterLib.ModeFlag.Lines,
                    Line = new Plotly.Blazor.Traces.ScatterLib.Line { Width = 2 }, HoverTemplate = "£%{y:,.2f}<extra></extra>",
                },
                new Bar
                {
                    X = [1m], Y = ["a store"], Orientation = Plotly.Blazor.Traces.BarLib.OrientationEnum.H,
                    Marker = new Plotly.Blazor.Traces.BarLib.Marker { Color = ChartStyle.Revenue(dark: false) },
                },
            ],
#pragma warning restore BL0005
        };
        var runtime = new DiscardingJsRuntime();
        await using (var interop = new PlotlyJsInterop(runtime, chart, useBasicVersion: true))
        {
            await interop.NewPlot(ct);
            await interop.React(ct);
        }
        return runtime.Calls;
    }

    /// <summary>Answers every call with nothing; an import with itself, so the interop's module calls land here too.</summary>
    private sealed class DiscardingJsRuntime : IJSRuntime, IJSObjectReference
    {
        public List<string> Calls { get; } = [];

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) =>
            InvokeAsync<TValue>(identifier, CancellationToken.None, args);

        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args)
        {
            Calls.Add(identifier);
            return ValueTask.FromResult(this is TValue self ? self : default!);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
