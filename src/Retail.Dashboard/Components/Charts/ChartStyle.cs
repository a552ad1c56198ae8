using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using PlotLayout = Plotly.Blazor.Layout;

namespace Retail.Dashboard.Components.Charts;

/// <summary>
/// One look for every chart: £ axes in k/M on plotly's round steps, from zero, legible text on a phone, colours
/// that follow the light/dark theme, no mode bar (its icons have no accessible names and nothing here needs them).
/// </summary>
internal static class ChartStyle
{
    public const string Average = "#6a1b9a";

    /// <summary>Revenue's colour, on the charts and under every revenue bar: 3:1 against the card in both themes.</summary>
    public static string Revenue(bool dark) => dark ? "#64b5f6" : "#1565c0";

    /// <summary>The area under the revenue line: its colour, faint.</summary>
    public static string RevenueFill(bool dark)
    {
        var rgb = Convert.FromHexString(Revenue(dark).AsSpan(1));
        return $"rgba({rgb[0]},{rgb[1]},{rgb[2]},0.12)";
    }

    /// <summary>Units' colour, under every units bar: 3:1 against the card in both themes.</summary>
    public static string Units(bool dark) => dark ? "#ffb74d" : "#e65100";

    /// <summary>
    /// The same colours as CSS variables for the page's own elements (app.css's data bars), so the stylesheet holds no
    /// copy of them: written into the page's head.
    /// </summary>
    public static string ThemeVariables { get; } =
        $":root {{ --revenue: {Revenue(false)}; --units: {Units(false)}; }} "
        + $"[data-theme=dark] {{ --revenue: {Revenue(true)}; --units: {Units(true)}; }}";

    public static Config Config() => new() { Responsive = true, DisplayModeBar = Plotly.Blazor.ConfigLib.DisplayModeBarEnum.False };

    public static PlotLayout Layout(bool dark, int height, Margin? margin = null)
    {
        var text = dark ? "#e0e0e0" : "#212121";
        return new PlotLayout
        {
            Height = height,
            AutoSize = true,
            Margin = margin ?? new Margin { L = 56, R = 16, T = 8, B = 40 },
            PaperBgColor = "rgba(0,0,0,0)",
            PlotBgColor = "rgba(0,0,0,0)",
            Font = new Font { Size = 13, Color = text, Family = "Roboto, Helvetica, Arial, sans-serif" },
            Separators = ".,",
            ShowLegend = false,
            HoverLabel = new HoverLabel { Font = new Plotly.Blazor.LayoutLib.HoverLabelLib.Font { Size = 14 } },
        };
    }

    /// <summary>
    /// The plot's box, as tall as its layout: PlotlyChart's own box is at least 350 px, which left an empty band under
    /// every shorter chart (50 px under the daily chart, 130 px under one store's bars).
    /// </summary>
    public static string Box(PlotLayout layout) => $"min-height: {layout.Height}px; height: 100%";

    /// <summary>
    /// A £ value axis: £40k, £1.2M on round steps, starting at zero. A chart with fixed margins turns automargin off: it
    /// made plotly lay the chart out twice (~40% of the daily chart's redraw).
    /// </summary>
    public static YAxis MoneyAxis(bool dark, bool autoMargin = true) => new()
    {
        TickPrefix = "£",
        TickFormat = "~s",
        RangeMode = Plotly.Blazor.LayoutLib.YAxisLib.RangeModeEnum.ToZero,
        GridColor = Grid(dark),
        ZeroLineColor = Grid(dark),
        AutoMargin = autoMargin ? Plotly.Blazor.LayoutLib.YAxisLib.AutoMarginFlag.True : null,
        FixedRange = true,
    };

    /// <summary>The previous period under the current one: lighter, so the eye reads now first.</summary>
    public static string Previous(bool dark) => dark ? "#8d8d8d" : "#a6a6a6";

    /// <summary>Bank holiday and Black Friday lines and labels: 4.5:1 on the card in both themes.</summary>
    public static string Marker(bool dark) => dark ? "#ffb74d" : "#8a4b00";

    public static string Grid(bool dark) => dark ? "#424242" : "#e0e0e0";

    public static List<object> Pounds(IEnumerable<long> pence) => pence.Select(p => (object)(p / 100m)).ToList();
}
