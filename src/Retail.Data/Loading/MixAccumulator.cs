using System.Runtime.InteropServices;
using Npgsql;
using Retail.Data.Rollups;

namespace Retail.Data.Loading;

/// <summary>
/// The channel and payment mix rollups (agg_mix_daily, agg_mix_receipts_daily) built as the file streams past, for
/// <see cref="RollupAccumulator"/>. Keys are packed into a long (one cheap hash per row). A receipt counts once per
/// run of consecutive lines with the same transaction, channel and payment (tills give a receipt one of each), with
/// the categories of that run: Sql/rollups/rederive_month_mix.sql groups the facts the same way. Both rollups are
/// written with their all-store rows (<see cref="StoreRows.All"/>), as <see cref="RollupAccumulator"/> writes its own. Each
/// row also carries its loyalty part (lines with a card, customer_key &lt;&gt; 0; receipts with any such line: marts/127),
/// and each receipts key a total row over its category masks (<see cref="CategoryMask.Every"/>, marts/128).
/// </summary>
internal sealed class MixAccumulator
{
    // Bits of the packed key: day number 22 (DateOnly.MaxValue is 3,652,058), store 16, category 5 (the mask's 0..31
    // already bounds it), channel 10, payment 11.
    private const int ChannelBits = 10;
    private const int PaymentBits = 11;
    private const int StoreShift = 26;

    private readonly Dictionary<long, Sales> _sales = [];
    private readonly Dictionary<(long Key, int Mask), Receipts> _receipts = [];

    private long _receipt = -1;
    private long _receiptKey;
    private int _receiptMask;
    private bool _receiptRefundOnly;
    private bool _receiptLoyalty;

    /// <summary>A mix row's lines and money, all and with a loyalty card.</summary>
    private record struct Sales(int Lines, long Revenue, long Gross, int LoyaltyLines, long LoyaltyRevenue, long LoyaltyGross)
    {
        public static Sales operator +(Sales a, Sales b) => new(a.Lines + b.Lines, a.Revenue + b.Revenue, a.Gross + b.Gross,
            a.LoyaltyLines + b.LoyaltyLines, a.LoyaltyRevenue + b.LoyaltyRevenue, a.LoyaltyGross + b.LoyaltyGross);
    }

    /// <summary>A mix row's receipts and refund-only receipts, all and with a loyalty card.</summary>
    private record struct Receipts(int All, int RefundOnly, int Loyalty, int LoyaltyRefundOnly)
    {
        public static Receipts operator +(Receipts a, Receipts b) =>
            new(a.All + b.All, a.RefundOnly + b.RefundOnly, a.Loyalty + b.Loyalty, a.LoyaltyRefundOnly + b.LoyaltyRefundOnly);
    }

    public void Add(in SaleRow r)
    {
        var key = Pack(r.SaleDate, r.StoreKey, r.CategoryKey, r.ChannelKey, r.PaymentKey);
        ref var s = ref CollectionsMarshal.GetValueRefOrAddDefault(_sales, key, out _);
        var gross = r.Quantity < 0 ? 0 : r.LineTotalPence;
        var card = r.CustomerKey != 0;
        s += card ? new Sales(1, r.LineTotalPence, gross, 1, r.LineTotalPence, gross) : new Sales(1, r.LineTotalPence, gross, 0, 0, 0);

        // The receipt's key is the line's without its category.
        var receiptKey = key & ~(0x1FL << (ChannelBits + PaymentBits));
        if (r.TransactionId != _receipt || receiptKey != _receiptKey)
        {
            Close();
            _receipt = r.TransactionId;
            _receiptKey = receiptKey;
            _receiptMask = 0;
            _receiptRefundOnly = true;
            _receiptLoyalty = false;
        }
        _receiptMask |= CategoryMask.Bit(r.CategoryKey);
        _receiptRefundOnly &= r.Quantity < 0;
        _receiptLoyalty |= card;
    }

    private void Close()
    {
        if (_receipt < 0)
        {
            return;
        }
        ref var c = ref CollectionsMarshal.GetValueRefOrAddDefault(_receipts, (_receiptKey, _receiptMask), out _);
        var refundOnly = _receiptRefundOnly ? 1 : 0;
        c += _receiptLoyalty ? new Receipts(1, refundOnly, 1, refundOnly) : new Receipts(1, refundOnly, 0, 0);
        _receipt = -1;
    }

    internal static long Pack(DateOnly day, short store, short category, short channel, short payment)
    {
        if ((uint)category > CategoryMask.MaxKey || (uint)channel >= 1u << ChannelBits || (uint)payment >= 1u << PaymentBits)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), $"category {category}, channel {channel} or payment {payment} key "
                + $"is outside what the mix rollup packs (categories 0 to {CategoryMask.MaxKey}, channels 0 to {(1 << ChannelBits) - 1}, "
                + $"payment methods 0 to {(1 << PaymentBits) - 1})");
        }
        return (long)(((ulong)(uint)day.DayNumber << 42) | ((ulong)(ushort)store << StoreShift) | ((ulong)(ushort)category << 21)
            | ((ulong)(ushort)channel << 11) | (ushort)payment);
    }

    /// <summary>The same key with its store set to the all-store rows' (<see cref="StoreRows.All"/>).</summary>
    private static long AllStores(long key) => (key & ~(0xFFFFL << StoreShift)) | ((long)(ushort)StoreRows.All << StoreShift);

    private static (DateOnly Day, short Store, short Category, short Channel, short Payment) Unpack(long key) => (
        DateOnly.FromDayNumber((int)(key >>> 42)), (short)(ushort)(key >> StoreShift), (short)((key >> 21) & 0x1F),
        (short)((key >> PaymentBits) & ((1 << ChannelBits) - 1)), (short)(key & ((1 << PaymentBits) - 1)));

    /// <summary>Writes both mix rollups, store rows then all-store rows, by binary COPY on the batch's connection (inside its
    /// transaction).</summary>
    public void Write(NpgsqlConnection conn, int batchId)
    {
        Close();
        using (var w = new BinaryCopyWriter(conn, "COPY marts.agg_mix_daily (batch_id, sale_date, store_key, category_key, channel_key, "
            + "payment_key, lines, revenue_pence, gross_pence, loyalty_lines, loyalty_revenue_pence, loyalty_gross_pence) "
            + "FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var (key, v) in RollupAccumulator.WithSums(_sales, AllStores, (a, b) => a + b))
            {
                var k = Unpack(key);
                w.StartRow(12, 128);
                w.Int32(batchId);
                w.Date(k.Day);
                w.Int16(k.Store);
                w.Int16(k.Category);
                w.Int16(k.Channel);
                w.Int16(k.Payment);
                w.Int32(v.Lines);
                w.Int64(v.Revenue);
                w.Int64(v.Gross);
                w.Int32(v.LoyaltyLines);
                w.Int64(v.LoyaltyRevenue);
                w.Int64(v.LoyaltyGross);
            }
            w.Complete();
        }
        using (var w = new BinaryCopyWriter(conn, "COPY marts.agg_mix_receipts_daily (batch_id, sale_date, store_key, channel_key, "
            + "payment_key, category_mask, receipts, refund_receipts, loyalty_receipts, loyalty_refund_receipts) "
            + "FROM STDIN (FORMAT BINARY)"))
        {
            // Each key's total row over its masks (marts/128), which a mix without a category filter reads alone, summed
            // once here from the mask rows, as rederive_month_mix.sql sums them; then the all-store rows of both.
            var withTotals = RollupAccumulator.WithSums(_receipts, k => (k.Key, CategoryMask.Every), (a, b) => a + b)
                .ToDictionary();
            foreach (var ((key, mask), v) in RollupAccumulator.WithSums(withTotals, k => (AllStores(k.Key), k.Mask), (a, b) => a + b))
            {
                var k = Unpack(key);
                w.StartRow(10, 96);
                w.Int32(batchId);
                w.Date(k.Day);
                w.Int16(k.Store);
                w.Int16(k.Channel);
                w.Int16(k.Payment);
                w.Int32(mask);
                w.Int32(v.All);
                w.Int32(v.RefundOnly);
                w.Int32(v.Loyalty);
                w.Int32(v.LoyaltyRefundOnly);
            }
            w.Complete();
        }
    }
}
