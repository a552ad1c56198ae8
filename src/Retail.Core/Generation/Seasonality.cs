using Retail.Core.Catalogue;

namespace Retail.Core.Generation;

/// <summary>The shape of demand: week cycle, months, the UK retail calendar, and the intra-day curve.</summary>
internal static class Seasonality
{
    //                                              Sun   Mon   Tue   Wed   Thu   Fri   Sat
    private static readonly double[] DayOfWeek = [0.95, 0.85, 0.80, 0.85, 0.95, 1.10, 1.45];

    //                                          Jan   Feb   Mar   Apr   May   Jun   Jul   Aug   Sep   Oct   Nov   Dec
    private static readonly double[] Month = [0.90, 0.82, 0.90, 0.95, 0.97, 0.95, 1.00, 1.00, 0.90, 0.95, 1.05, 1.15];

    /// <summary>Local hour → relative footfall.</summary>
    private static readonly double[] Hour =
    [
        0, 0, 0, 0, 0, 0, 0, 0.3,
        0.5, 0.7, 0.9, 1.1, 1.35, 1.35, 1.15, 1.1,
        1.15, 1.25, 1.1, 0.8, 0.55, 0.35, 0, 0,
    ];

    public static double DayWeight(DateOnly d)
    {
        var w = DayOfWeek[(int)d.DayOfWeek] * Month[d.Month - 1];
        var blackFriday = UkCalendar.BlackFriday(d.Year);
        var days = d.DayNumber - blackFriday.DayNumber;
        if (days == 0)
        {
            w *= 2.4;
        }
        else if (days is 1 or 2)
        {
            w *= 1.3;
        }
        else if (days == 3)
        {
            w *= 1.3; // Cyber Monday
        }
        else if (days is >= -7 and < 0)
        {
            w *= 1.15;
        }
        if (d.Month == 12)
        {
            w *= d.Day switch
            {
                <= 23 => 1.2 + (0.6 * (d.Day - 1) / 22.0),
                24 => 1.3,
                26 => 1.9,
                >= 27 => 1.3,
                _ => 1.0,
            };
        }
        if (d.Month == 1 && d.Day is >= 2 and <= 7)
        {
            w *= 1.2;
        }
        if (UkCalendar.IsBankHoliday(d) && !(d.Month == 12 && d.Day == 26))
        {
            w *= 1.15;
        }
        return w;
    }

    /// <summary>Sales days: more lines discounted, and deeper.</summary>
    public static bool IsSaleDay(DateOnly d)
    {
        var days = d.DayNumber - UkCalendar.BlackFriday(d.Year).DayNumber;
        return days is >= 0 and <= 3 || (d.Month == 12 && d.Day >= 26) || (d.Month == 1 && d.Day <= 7);
    }

    public static double HourWeight(int hour) => Hour[hour];

    /// <summary>A new store ramps up over its first four weeks.</summary>
    public static double StoreRamp(Store s, DateOnly d)
    {
        var age = d.DayNumber - s.OpenedOn.DayNumber;
        return age >= 28 ? 1.0 : 0.5 + (0.5 * age / 28.0);
    }
}
