using System.Globalization;
using System.Text;
using Retail.Core;
using Retail.Core.Formats;

namespace Retail.UnitTests.Core;

/// <summary>The generator's own number formatting must write what the framework's formatting writes.</summary>
public sealed class AsciiNumbersTests
{
    private static IEnumerable<long> Values()
    {
        yield return long.MinValue;
        yield return long.MaxValue;
        for (var p = 1L; p <= 1_000_000_000_000_000_000L; p *= 10)
        {
            foreach (var v in new[] { p - 1, p, p + 1, -p + 1, -p, -p - 1 })
            {
                yield return v;
            }
        }
        var rng = new Random(3);
        for (var i = 0; i < 20_000; i++)
        {
            yield return rng.NextInt64(-20_260_000_000_000_000, 20_260_000_000_000_000) >> rng.Next(0, 60);
        }
    }

    [Fact]
    public void Integers_are_written_as_ToString_writes_them()
    {
        var buffer = new byte[32];
        foreach (var v in Values())
        {
            var n = AsciiNumbers.Integer(buffer, v);
            Assert.Equal(v.ToString(CultureInfo.InvariantCulture), Encoding.ASCII.GetString(buffer, 0, n));
        }
    }

    [Fact]
    public void Pence_are_written_as_pounds_with_two_decimals()
    {
        var buffer = new byte[32];
        foreach (var v in Values().Where(v => v is > -1_000_000_000_000_000L and < 1_000_000_000_000_000L))
        {
            var n = AsciiNumbers.Money(buffer, v);
            Assert.Equal(Money.Plain(v), Encoding.ASCII.GetString(buffer, 0, n));
        }
    }
}
