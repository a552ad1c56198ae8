using System.Globalization;

namespace Retail.Dashboard.Components.Charts;

/// <summary>
/// A sequential single-hue scale (light to dark blue) for the hour heatmap, with text colour picked for contrast on
/// each cell. Hours with no sales in any week of the view are closed, not quiet: they get no colour at all.
/// </summary>
public static class HeatScale
{
    // From ColorBrewer "Blues" (sequential, colour-blind safe): light to dark.
    private static readonly (int R, int G, int B)[] Stops =
        [(239, 243, 255), (198, 219, 239), (158, 202, 225), (107, 174, 214), (66, 146, 198), (33, 113, 181), (8, 69, 148)];

    /// <summary>Background and text colour for a value between 0 and max (max &gt; 0).</summary>
    public static (string Background, string Text) Colour(long value, long max)
    {
        var t = max <= 0 ? 0 : Math.Clamp((double)value / max, 0, 1);
        var x = t * (Stops.Length - 1);
        var i = Math.Min((int)x, Stops.Length - 2);
        var f = x - i;
        var (r, g, b) = (Lerp(Stops[i].R, Stops[i + 1].R, f), Lerp(Stops[i].G, Stops[i + 1].G, f), Lerp(Stops[i].B, Stops[i + 1].B, f));
        // Black or white, whichever contrasts more with the cell (WCAG contrast ratio).
        var l = Luminance(r, g, b);
        var text = (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
        return (string.Create(CultureInfo.InvariantCulture, $"rgb({r},{g},{b})"), text);
    }

    /// <summary>The unit the cells are written in, from the biggest cell: £k for busy views, £ for quiet ones.</summary>
    public static (string Caption, Func<long, string> Cell) Unit(long maxPence) => maxPence switch
    {
        >= 1_000_000 => ("£ thousands", p => (p / 100_000m).ToString("0", CultureInfo.InvariantCulture)),
        >= 100_000 => ("£ thousands", p => (p / 100_000m).ToString("0.0", CultureInfo.InvariantCulture)),
        _ => ("£", p => (p / 100m).ToString("0", CultureInfo.InvariantCulture)),
    };

    private static int Lerp(int a, int b, double f) => (int)Math.Round(a + (b - a) * f);

    private static double Luminance(int r, int g, int b) => 0.2126 * Channel(r) + 0.7152 * Channel(g) + 0.0722 * Channel(b);

    private static double Channel(int c)
    {
        var s = c / 255.0;
        return s <= 0.03928 ? s / 12.92 : Math.Pow((s + 0.055) / 1.055, 2.4);
    }
}
