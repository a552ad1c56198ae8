using Retail.Core.Catalogue;
using Retail.Core.Formats;

namespace Retail.Core.Generation;

/// <summary>One receipt of a day: when, where, how many lines, who paid how. Lines are drawn later, per receipt.</summary>
internal struct Receipt
{
    public long ReturnOf;
    public int Seconds;
    public int Sequence;
    public int Customer; // index into the pool, -1 = anonymous
    public short Store;
    public byte Lines;
    public byte Payment;
    public byte Channel;
}

/// <summary>A day's receipts and their till order: <see cref="At"/>(i) is the i-th receipt the till printed.</summary>
internal readonly struct PlannedReceipts(Receipt[] receipts, long[] order, int count)
{
    public int Count => count;

    /// <summary>The receipt at till position <paramref name="i"/> (the low half of its order key is where it is kept).</summary>
    public ref readonly Receipt At(int i) => ref receipts[(int)(uint)order[i]];
}

/// <summary>
/// Plans a day's receipts per store (basket sizes, channel, payment, loyalty customer, time inside opening hours,
/// returns pointing at earlier receipts), each store-day from its own PRNG stream, then orders them like a till export.
/// </summary>
internal sealed class ReceiptPlanner(
    GeneratorOptions options, IReadOnlyList<Store> stores, CustomerPool customers, Func<int, DayPlan> dayAt)
{
    public const int MaxBasket = 8;
    public const double LoyaltyShare = 0.58;
    private const double HomeStoreShare = 0.85;
    private const double ReturnShare = 0.012;
    private static readonly double[] BasketSize = [0, 0.42, 0.25, 0.15, 0.09, 0.05, 0.025, 0.01, 0.005];

    /// <summary>Mean lines per receipt of <see cref="BasketSize"/> (about 2.24).</summary>
    public static readonly double MeanBasket = BasketSize.Select((p, n) => p * n).Sum() / BasketSize.Sum();

    private readonly WeightedPicker _basket = new(BasketSize);
    private readonly Store[] _storesByKey = stores.OrderBy(s => s.Key).ToArray();
    private readonly Dictionary<(int, int), WeightedPicker> _hourPickers = [];

    /// <summary>
    /// Orders a store's receipts by time the way List.Sort with a Seconds comparison did, through the same introsort
    /// (MemoryExtensions.Sort with a Comparison), on 8-byte keys instead of whole receipts. The algorithm sees the same
    /// comparison results, so it leaves receipts with equal times in the same (unstable) order: the bytes depend on it.
    /// </summary>
    private static readonly Comparison<long> BySeconds = (a, b) => ((int)(a >> 32)).CompareTo((int)(b >> 32));

    /// <summary>
    /// The day's receipts, each store's run in time order, and the till order across the chain as positions in them.
    /// Two buffers of the day's size (40 bytes a receipt) and one of the largest store's: a December day of 100M lines
    /// plans ~300k receipts, and each core plans a day.
    /// </summary>
    public PlannedReceipts Plan(DayPlan day)
    {
        // Receipts of all stores, store after store; each store's run is put in time order and numbered in place.
        var drawn = new Receipt[Math.Max(16, (int)Math.Min(int.MaxValue / 2, day.Rows / 2))];
        var keys = new long[drawn.Length];
        var run = Array.Empty<Receipt>();
        var count = 0;
        foreach (var store in _storesByKey)
        {
            var rows = day.StoreRows[store.Key];
            if (rows == 0)
            {
                continue;
            }
            var rng = Prng.For(options.Seed, day.Index + ((long)day.Date.DayNumber << 20), store.Key);
            var hours = store.Hours(day.Date);
            var hourPicker = HourPicker(hours);
            var first = count;
            long remaining = rows;
            while (remaining > 0)
            {
                // A return hands back one item; it is decided before sizing so the day's row count stays exact.
                var isReturn = rng.Chance(ReturnShare);
                var size = isReturn ? 1 : (int)Math.Min(remaining, _basket.Pick(ref rng));
                var channel = rng.NextDouble() switch { < 0.78 => 0, < 0.94 => 1, _ => 2 };
                var p = rng.NextDouble();
                var payment = channel switch
                {
                    0 => p < 0.55 ? 1 : p < 0.83 ? 0 : p < 0.95 ? 2 : 3,
                    1 => p < 0.85 ? 0 : p < 0.95 ? 3 : 1,
                    _ => p < 0.92 ? 0 : 3,
                };
                var customer = -1;
                if (rng.Chance(LoyaltyShare))
                {
                    customer = rng.Chance(HomeStoreShare) ? customers.PickAt(store.Key, ref rng) : customers.PickAny(ref rng);
                }
                var hour = hours.Open + hourPicker.Pick(ref rng);
                if (count == drawn.Length)
                {
                    Array.Resize(ref drawn, drawn.Length * 2);
                }
                drawn[count++] = new Receipt
                {
                    Seconds = (hour * 3600) + rng.Next(3600),
                    Store = store.Key,
                    Lines = (byte)size,
                    Customer = customer,
                    Payment = (byte)payment,
                    Channel = (byte)channel,
                    ReturnOf = isReturn ? -1 : 0,
                };
                remaining -= size;
            }
            var n = count - first;
            if (keys.Length < count)
            {
                keys = new long[drawn.Length];
            }
            if (run.Length < n)
            {
                run = new Receipt[n];
            }
            var storeKeys = keys.AsSpan(0, n);
            for (var i = 0; i < n; i++)
            {
                storeKeys[i] = ((long)drawn[first + i].Seconds << 32) | (uint)i;
            }
            storeKeys.Sort(BySeconds);
            for (var i = 0; i < n; i++)
            {
                var r = drawn[first + (int)(uint)storeKeys[i]];
                r.Sequence = i + 1;
                if (r.ReturnOf != 0)
                {
                    // With no earlier receipt to point at, it stays an ordinary one-line sale.
                    r.ReturnOf = EarlierReceipt(day, store, r.Sequence, ref rng);
                }
                run[i] = r;
            }
            run.AsSpan(0, n).CopyTo(drawn.AsSpan(first, n));
        }
        // A till export is in time order across the chain, then by store and receipt number. Those keys are unique,
        // so any sort gives the one order: the time and the position in `drawn` (store key order, then number) as one long.
        var order = keys.AsSpan(0, count);
        for (var i = 0; i < count; i++)
        {
            order[i] = ((long)drawn[i].Seconds << 32) | (uint)i;
        }
        order.Sort();
        return new PlannedReceipts(drawn, keys, count);
    }

    /// <summary>
    /// A receipt guaranteed to exist: an earlier day in the range (every store-day has at least rows/8 receipts), else
    /// earlier today.
    /// </summary>
    private long EarlierReceipt(DayPlan day, Store store, int sequence, ref Prng rng)
    {
        var back = rng.Next(1, 15);
        if (day.Index - back >= 0)
        {
            var earlier = dayAt(day.Index - back);
            var guaranteed = earlier.StoreRows[store.Key] / MaxBasket;
            if (guaranteed >= 1)
            {
                return SalesCsv.ReceiptId(earlier.Date, store.Key, 1 + rng.Next((int)guaranteed));
            }
        }
        return sequence > 1 ? SalesCsv.ReceiptId(day.Date, store.Key, 1 + rng.Next(sequence - 1)) : 0;
    }

    private WeightedPicker HourPicker((int Open, int Close) hours)
    {
        lock (_hourPickers)
        {
            if (!_hourPickers.TryGetValue(hours, out var picker))
            {
                picker = new WeightedPicker(Enumerable.Range(hours.Open,
                    hours.Close - hours.Open).Select(h => Math.Max(0.05, Seasonality.HourWeight(h))).ToArray());
                _hourPickers[hours] = picker;
            }
            return picker;
        }
    }
}
