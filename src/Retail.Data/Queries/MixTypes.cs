namespace Retail.Data.Queries;

/// <summary>
/// One channel's, payment method's or loyalty side's part of the filter's sales (money in pence). Receipts are those
/// holding any selected category, taken with this channel or payment method, or with (any line on) a loyalty card or not.
/// </summary>
public sealed record MixPart(string Name, long RevenuePence, long GrossPence, long Lines, long Receipts, long RefundReceipts)
{
    /// <summary>Receipts with at least one sale line (refund-only receipts left out).</summary>
    public long SalesReceipts => Receipts - RefundReceipts;
}

/// <summary>
/// The channel, payment and loyalty mix for one filter. Every sale line has one channel and one payment method, so each
/// list's revenues add up to the filter's net revenue; a receipt is taken in one channel with one payment method
/// (a receipt split across several counts once in each), so sales receipts add up to the filter's sales receipts.
/// <see cref="Loyalty"/> splits the same sales in two, "loyalty_card" (lines bought with a card, receipts with any such
/// line) and "no_card" (the rest), so the loyalty share of sales is exact under every filter.
/// </summary>
public sealed record SalesMix(IReadOnlyList<MixPart> Channels, IReadOnlyList<MixPart> Payments, IReadOnlyList<MixPart> Loyalty)
{
    public static SalesMix Empty { get; } = new([], [], []);

    /// <summary>Share of net revenue in percent (2 decimals): the part's net revenue ÷ the list's; 0 when that is 0.</summary>
    public static decimal RevenueSharePercent(MixPart part, IReadOnlyList<MixPart> of) =>
        Share(part.RevenuePence, of.Sum(p => p.RevenuePence));

    /// <summary>Share of sales receipts in percent (2 decimals): the part's sales receipts ÷ the list's; 0 when none.</summary>
    public static decimal ReceiptSharePercent(MixPart part, IReadOnlyList<MixPart> of) =>
        Share(part.SalesReceipts, of.Sum(p => p.SalesReceipts));

    private static decimal Share(long part, long total) => total == 0 ? 0 : Math.Round(100m * part / total, 2);
}
