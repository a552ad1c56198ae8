using Retail.Core.Formats;

namespace Retail.Data.Loading;

/// <summary>One validated CSV row with its dimension keys resolved: exactly what a fact row holds.</summary>
internal struct SaleRow
{
    public DateOnly SaleDate;
    public long TransactionId;
    public short LineNo;
    public DateTime SoldAtUtc;
    public byte LocalHour;
    public short StoreKey;
    public int ProductKey;
    public short CategoryKey;
    public int CustomerKey;
    public short PaymentKey;
    public short ChannelKey;
    public int Quantity;
    public int UnitPricePence;
    public int DiscountPence;
    public long LineTotalPence;
    public long ReturnOf;
}

/// <summary>Column positions as the hot loop indexes them, from <see cref="SalesColumn"/> (never numbered by hand).</summary>
internal static class Col
{
    public const int TransactionId = (int)SalesColumn.TransactionId;
    public const int LineNo = (int)SalesColumn.LineNo;
    public const int SoldAt = (int)SalesColumn.SoldAt;
    public const int StoreCode = (int)SalesColumn.StoreCode;
    public const int Sku = (int)SalesColumn.Sku;
    public const int ProductName = (int)SalesColumn.ProductName;
    public const int Category = (int)SalesColumn.Category;
    public const int Subcategory = (int)SalesColumn.Subcategory;
    public const int Brand = (int)SalesColumn.Brand;
    public const int Quantity = (int)SalesColumn.Quantity;
    public const int UnitPrice = (int)SalesColumn.UnitPrice;
    public const int Discount = (int)SalesColumn.Discount;
    public const int LineTotal = (int)SalesColumn.LineTotal;
    public const int Payment = (int)SalesColumn.PaymentMethod;
    public const int Channel = (int)SalesColumn.Channel;
    public const int CustomerId = (int)SalesColumn.CustomerId;
    public const int CustomerName = (int)SalesColumn.CustomerName;
    public const int ReturnOf = (int)SalesColumn.ReturnOf;

    public static readonly int Count = SalesCsv.Columns.Length;
}

/// <summary>Strict, allocation-free field parsers. Each returns false on anything it does not fully understand.</summary>
internal static class FieldParser
{
    public static bool Long(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 18)
        {
            return false;
        }
        var negative = s[0] == '-';
        var i = negative ? 1 : 0;
        if (i == s.Length)
        {
            return false;
        }
        for (; i < s.Length; i++)
        {
            var d = s[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }
            value = (value * 10) + d;
        }
        if (negative)
        {
            value = -value;
        }
        return true;
    }

    /// <summary>Largest whole-pound part accepted (11 digits), so pence never overflow a long downstream.</summary>
    private const int MaxPoundDigits = 11;

    /// <summary>Pounds with up to two decimals ("12.99", "-3.5", "7") → pence, exactly.</summary>
    public static bool Money(ReadOnlySpan<char> s, out long pence)
    {
        pence = 0;
        var dot = s.IndexOf('.');
        var whole = dot < 0 ? s : s[..dot];
        var negative = whole.Length > 0 && whole[0] == '-';
        var digits = negative ? whole[1..] : whole;
        if (digits.Length > MaxPoundDigits || !Long(digits, out var pounds) || pounds < 0)
        {
            return false;
        }
        long fraction = 0;
        if (dot >= 0)
        {
            var f = s[(dot + 1)..];
            if (f.Length is < 1 or > 2 || !Long(f, out fraction) || fraction < 0)
            {
                return false;
            }
            if (f.Length == 1)
            {
                fraction *= 10;
            }
        }
        pence = (pounds * 100) + fraction;
        if (negative)
        {
            pence = -pence;
        }
        return true;
    }

    /// <summary>ISO-8601 "yyyy-MM-ddTHH:mm:ss" followed by "Z" or "±HH:MM"; the local date is the sale date.</summary>
    public static bool Timestamp(ReadOnlySpan<char> s, out DateOnly localDate, out byte localHour, out DateTime utc)
    {
        localDate = default;
        localHour = 0;
        utc = default;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
        {
            return false;
        }
        if (!Digits(s[..4], out var year) || !Digits(s.Slice(5, 2), out var month) || !Digits(s.Slice(8, 2), out var day)
            || !Digits(s.Slice(11, 2), out var hour) || !Digits(s.Slice(14, 2), out var minute) || !Digits(s.Slice(17, 2), out var second))
        {
            return false;
        }
        if (month is < 1 or > 12 || day < 1 || year < 1 || day > DateTime.DaysInMonth(year,
            month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        var rest = s[19..];
        int offsetMinutes;
        if (rest is "Z")
        {
            offsetMinutes = 0;
        }
        else if (rest.Length == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' && Digits(rest.Slice(1, 2),
            out var oh) && Digits(rest.Slice(4, 2), out var om) && oh <= 14 && om <= 59)
        {
            offsetMinutes = ((oh * 60) + om) * (rest[0] == '-' ? -1 : 1);
        }
        else
        {
            // An offset is required: a timestamp without one cannot be placed in time.
            return false;
        }
        localDate = new DateOnly(year, month, day);
        localHour = (byte)hour;
        utc = DateTime.SpecifyKind(new DateTime(year, month, day, hour, minute, second).AddMinutes(-offsetMinutes), DateTimeKind.Utc);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            var d = c - '0';
            if ((uint)d > 9)
            {
                return false;
            }
            value = (value * 10) + d;
        }
        return true;
    }
}
