using System.Globalization;

namespace Retail.Core;

/// <summary>
/// Money is integer pence everywhere; this is the one place it turns into pounds: text for people, or the decimal
/// pounds of older manifests.
/// </summary>
public static class Money
{
    /// <summary>"£1,234.56", "-£0.99".</summary>
    public static string Format(long pence) =>
        (pence < 0 ? "-£" : "£") + Pounds(Math.Abs((decimal)pence)).ToString("N2", CultureInfo.InvariantCulture);

    /// <summary>"1234.56", "-0.99": pounds as the staging CSV writes them, for messages that quote a field.</summary>
    public static string Plain(long pence) => (pence / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Exact pounds → pence; refuses fractions of a penny rather than rounding them away.</summary>
    public static long FromPounds(decimal pounds)
    {
        var pence = pounds * 100m;
        return pence == decimal.Truncate(pence)
            ? decimal.ToInt64(pence)
            : throw new ArgumentException($"£{pounds} is not a whole number of pence", nameof(pounds));
    }

    private static decimal Pounds(decimal pence) => pence / 100m;
}
