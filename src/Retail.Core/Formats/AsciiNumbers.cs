namespace Retail.Core.Formats;

/// <summary>Numbers as ASCII straight into a span: the generator's hot path, no strings.</summary>
public static class AsciiNumbers
{
    private static ReadOnlySpan<byte> Pairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"u8
        + "40414243444546474849505152535455565758596061626364656667686970717273747576777879"u8
        + "8081828384858687888990919293949596979899"u8;

    /// <summary>Writes <paramref name="value"/> in decimal; returns the bytes written.</summary>
    public static int Integer(Span<byte> dest, long value)
    {
        if ((ulong)value < 10)
        {
            // Line numbers, quantities and most pounds of discount: one digit.
            dest[0] = (byte)('0' + value);
            return 1;
        }
        if (value < 0)
        {
            dest[0] = (byte)'-';
            return 1 + Unsigned(dest[1..], (ulong)(-(value + 1)) + 1);
        }
        return Unsigned(dest, (ulong)value);
    }

    /// <summary>Pence as pounds with exactly two decimals (-1299 → "-12.99"); returns the bytes written.</summary>
    public static int Money(Span<byte> dest, long pence)
    {
        var n = 0;
        if (pence < 0)
        {
            dest[n++] = (byte)'-';
            pence = -pence;
        }
        n += Integer(dest[n..], pence / 100);
        var p = (int)(pence % 100);
        dest[n] = (byte)'.';
        dest[n + 1] = (byte)('0' + (p / 10));
        dest[n + 2] = (byte)('0' + (p % 10));
        return n + 3;
    }

    private static int Unsigned(Span<byte> dest, ulong v)
    {
        var digits = 1;
        for (var limit = v; limit >= 10; limit /= 10)
        {
            digits++;
        }
        _ = dest[digits - 1];
        var at = digits;
        while (v >= 100)
        {
            var q = v / 100;
            var pair = (int)(v - (q * 100)) * 2;
            dest[--at] = Pairs[pair + 1];
            dest[--at] = Pairs[pair];
            v = q;
        }
        if (v >= 10)
        {
            dest[--at] = Pairs[((int)v * 2) + 1];
            dest[--at] = Pairs[(int)v * 2];
        }
        else
        {
            dest[--at] = (byte)('0' + v);
        }
        return digits;
    }
}
