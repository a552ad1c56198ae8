using System.Globalization;

namespace Retail.Core;

/// <summary>Money is integer pence everywhere; this is the one place it becomes text for people.</summary>
public static class Money
{
    /// <summary>"£1,234.56", "-£0.99".</summary>
    public static string Format(long pence) =>
        (pence < 0 ? "-£" : "£") + (Math.Abs((decimal)pence) / 100m).ToString("N2", CultureInfo.InvariantCulture);
}
