using System.Globalization;

namespace Retail.Dashboard.Components.Charts;

/// <summary>Money and dates as an analyst in the UK reads them, formatted only here at the edge.</summary>
public static class Format
{
    /// <summary>
    /// UK dates (28/10/2026, Monday first) built on the invariant culture: the app runs with invariant globalization,
    /// where "en-GB" cannot be loaded; its English month and day names are the UK's.
    /// </summary>
    public static readonly CultureInfo EnGb = CreateEnGb();

    private static CultureInfo CreateEnGb()
    {
        var c = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        c.DateTimeFormat.ShortDatePattern = "dd/MM/yyyy";
        c.DateTimeFormat.LongDatePattern = "dd MMMM yyyy";
        c.DateTimeFormat.FirstDayOfWeek = DayOfWeek.Monday;
        c.DateTimeFormat.ShortTimePattern = "HH:mm";
        c.DateTimeFormat.LongTimePattern = "HH:mm:ss";
        c.DateTimeFormat.YearMonthPattern = "MMMM yyyy";
        c.DateTimeFormat.MonthDayPattern = "dd MMMM";
        return CultureInfo.ReadOnly(c);
    }

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
