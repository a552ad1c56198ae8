namespace Retail.Core.Catalogue;

/// <summary>England and Wales bank holidays and the retail calendar's peaks, computed (no table to go stale).</summary>
public static class UkCalendar
{
    public static bool IsBankHoliday(DateOnly d) => BankHolidays(d.Year).Contains(d);

    public static IReadOnlySet<DateOnly> BankHolidays(int year)
    {
        var easter = EasterSunday(year);
        var set = new HashSet<DateOnly>
        {
            Substitute(new DateOnly(year, 1, 1)),
            easter.AddDays(-2),
            easter.AddDays(1),
            FirstWeekday(year, 5, DayOfWeek.Monday),
            LastWeekday(year, 5, DayOfWeek.Monday),
            LastWeekday(year, 8, DayOfWeek.Monday),
        };
        // Christmas and Boxing Day move to the next free weekdays when they fall at a weekend.
        var christmas = new DateOnly(year, 12, 25);
        var boxing = new DateOnly(year, 12, 26);
        switch (christmas.DayOfWeek)
        {
            case DayOfWeek.Saturday: set.Add(christmas.AddDays(2)); set.Add(christmas.AddDays(3)); break;
            case DayOfWeek.Sunday: set.Add(christmas.AddDays(1)); set.Add(christmas.AddDays(2)); break;
            case DayOfWeek.Friday: set.Add(christmas); set.Add(christmas.AddDays(3)); break;
            default: set.Add(christmas); set.Add(boxing); break;
        }
        return set;
    }

    public static DateOnly EasterSunday(int year)
    {
        // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
        int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
        int f = (b + 8) / 25, g = (b - f + 1) / 3, h = ((19 * a) + b - d - g + 15) % 30;
        int i = c / 4, k = c % 4, l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        int m = (a + (11 * h) + (22 * l)) / 451;
        int month = (h + l - (7 * m) + 114) / 31, day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    /// <summary>The day after the fourth Thursday of November.</summary>
    public static DateOnly BlackFriday(int year) => FirstWeekday(year, 11, DayOfWeek.Thursday).AddDays(22);

    /// <summary>Large shops in England may not open on Christmas Day or Easter Sunday.</summary>
    public static bool StoresClosed(DateOnly d) => (d.Month == 12 && d.Day == 25) || d == EasterSunday(d.Year);

    private static DateOnly Substitute(DateOnly d) => d.DayOfWeek switch
    {
        DayOfWeek.Saturday => d.AddDays(2),
        DayOfWeek.Sunday => d.AddDays(1),
        _ => d,
    };

    private static DateOnly FirstWeekday(int year, int month, DayOfWeek dow)
    {
        var d = new DateOnly(year, month, 1);
        while (d.DayOfWeek != dow)
        {
            d = d.AddDays(1);
        }
        return d;
    }

    private static DateOnly LastWeekday(int year, int month, DayOfWeek dow)
    {
        var d = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        while (d.DayOfWeek != dow)
        {
            d = d.AddDays(-1);
        }
        return d;
    }
}
