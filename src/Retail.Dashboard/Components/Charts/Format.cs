using System.Globalization;

namespace Retail.Dashboard.Components.Charts;

/// <summary>Money and dates as an analyst in the UK reads them, formatted only here at the edge.</summary>
public static class Format
{
    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    public static string Money(long pence) => (pence / 100m).ToString("£#,##0.00", CultureInfo.InvariantCulture);

    /// <summary>£1.2M, £40.9k, £512: for summaries and cells where the exact figure is one hover or table away.</summary>
    public static string MoneyShort(long pence)
    {
        var pounds = pence / 100m;
        var abs = Math.Abs(pounds);
        return abs switch
        {
            >= 1_000_000m => (pounds / 1_000_000m).ToString("£0.0#M", CultureInfo.InvariantCulture),
            >= 1_000m => (pounds / 1_000m).ToString("£0.#k", CultureInfo.InvariantCulture),
            _ => pounds.ToString("£0", CultureInfo.InvariantCulture),
        };
    }

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Day(DateOnly d) => d.ToString("ddd dd MMM yyyy", EnGb);
}
