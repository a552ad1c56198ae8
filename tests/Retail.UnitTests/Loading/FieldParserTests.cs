using Retail.Data.Loading;

namespace Retail.UnitTests.Loading;

public sealed class FieldParserTests
{
    [Theory]
    [InlineData("12.99", 1299)]
    [InlineData("-3.5", -350)]
    [InlineData("7", 700)]
    [InlineData("0.05", 5)]
    [InlineData("99999999999.99", 9_999_999_999_999)]
    public void Pounds_become_exact_pence(string text, long pence)
    {
        Assert.True(FieldParser.Money(text, out var parsed));
        Assert.Equal(pence, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.234")]
    [InlineData("1.")]
    [InlineData("£1")]
    [InlineData("1e3")]
    [InlineData("--1")]
    [InlineData("999999999999.00")]
    public void Anything_else_is_not_money(string text) => Assert.False(FieldParser.Money(text, out _));

    [Fact]
    public void A_timestamp_keeps_its_local_date_and_hour_and_becomes_utc()
    {
        Assert.True(FieldParser.Timestamp("2026-06-30T23:30:00+01:00", out var date, out var hour, out var utc));
        Assert.Equal((new DateOnly(2026, 6, 30), (byte)23), (date, hour));
        Assert.Equal(new DateTime(2026, 6, 30, 22, 30, 0, DateTimeKind.Utc), utc);
        Assert.True(FieldParser.Timestamp("2026-01-01T00:00:00Z", out _, out _, out _));
    }

    [Theory]
    [InlineData("2026-06-30T23:30:00")]
    [InlineData("2026-02-30T10:00:00+00:00")]
    [InlineData("2026-06-30T24:00:00+00:00")]
    [InlineData("2026-06-30T10:00:00+15:00")]
    public void A_timestamp_without_offset_or_out_of_range_is_refused(string text) =>
        Assert.False(FieldParser.Timestamp(text, out _, out _, out _));
}
