using System.Buffers.Text;

namespace Retail.Core.Formats;

/// <summary>Numbers as ASCII straight into a span: the generator's hot path, no strings.</summary>
public static class AsciiNumbers
{
    /// <summary>Writes <paramref name="value"/> in decimal; returns the bytes written.</summary>
    public static int Integer(Span<byte> dest, long value)
    {
        if (!Utf8Formatter.TryFormat(value, dest, out var n))
        {
            throw new ArgumentException("no room for the number", nameof(dest));
        }
        return n;
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
}
