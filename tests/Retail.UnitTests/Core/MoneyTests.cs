using Retail.Core;

namespace Retail.UnitTests.Core;

public sealed class MoneyTests
{
    [Theory]
    [InlineData(0, "£0.00")]
    [InlineData(123456, "£1,234.56")]
    [InlineData(-99, "-£0.99")]
    [InlineData(long.MaxValue, "£92,233,720,368,547,758.07")]
    public void Pence_are_formatted_only_here(long pence, string text) => Assert.Equal(text, Money.Format(pence));
}
