using System.Text;
using Retail.Core.Catalogue;
using Retail.Core.Formats;

namespace Retail.Core.Generation;

/// <summary>
/// Generates the chain's sales day by day. Every day (and every receipt) draws from its own PRNG stream derived
/// from the master seed, so days can be written in parallel and the bytes never depend on the number of cores.
/// It writes only to the streams it is handed.
/// </summary>
public sealed class SalesGenerator
{
    /// <summary>The catalogue and customers are fixed across seeds, so every data set shares one set of dimensions.</summary>
    public const ulong CatalogueSeed = 20_260_101;

    private const int MaxBasket = 8;
    private static readonly double[] BasketSize = [0, 0.42, 0.25, 0.15, 0.09, 0.05, 0.025, 0.01, 0.005];
    private const double LoyaltyShare = 0.58;
    private const double HomeStoreShare = 0.85;
    private const double ReturnShare = 0.012;

    private readonly GeneratorOptions _options;
    private readonly IReadOnlyList<Store> _stores;
    private readonly ProductCatalogue _catalogue;
    private readonly CustomerPool _customers;
    private readonly TimeZoneInfo _london;

    private readonly WeightedPicker _basket = new(BasketSize);
    private readonly WeightedPicker[] _categoryByMonth;
    private readonly WeightedPicker[] _productInCategory;
    private readonly Dictionary<(int, int), WeightedPicker> _hourPickers = [];

    private readonly byte[][] _storeFields;
    private readonly byte[][] _productFields;
    private static readonly byte[][] PaymentFields = SalesCsv.PaymentMethods.Select(Utf8CsvWriter.Encode).ToArray();
    private static readonly byte[][] ChannelFields = SalesCsv.Channels.Select(Utf8CsvWriter.Encode).ToArray();
    private static readonly byte[] HeaderBytes = Encoding.UTF8.GetBytes(SalesCsv.Header + "\r\n");

    public SalesGenerator(GeneratorOptions options, ProductCatalogue catalogue, CustomerPool customers, TimeZoneInfo london)
    {
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }
        _options = options;
        _stores = StoreCatalogue.All;
        _catalogue = catalogue;
        _customers = customers;
        _london = london;

        var categories = ProductCatalogue.Categories;
        _categoryByMonth = Enumerable.Range(0, 12)
            .Select(m => new WeightedPicker(categories.Select(c => c.Share * c.MonthWeights[m]).ToArray()))
            .ToArray();
        // Zipf-like popularity inside each category: rank r sells in proportion to 1/r.
        _productInCategory = catalogue.ByCategory
            .Select(list => new WeightedPicker(list.Select((_, r) => 1.0 / (r + 1)).ToArray()))
            .ToArray();

        var maxKey = _stores.Max(s => s.Key);
        _storeFields = new byte[maxKey + 1][];
        foreach (var s in _stores)
        {
            _storeFields[s.Key] = Join(s.Code, s.Name, s.Town);
        }
        _productFields = new byte[catalogue.Products.Count + 1][];
        foreach (var p in catalogue.Products)
        {
            _productFields[p.Key] = Join(p.Sku, p.Name, p.Category, p.Subcategory, p.Brand);
        }

        Days = PlanDays();
    }

    /// <summary>Builds a generator with the standard catalogue, customer pool and UK time zone.</summary>
    public static SalesGenerator Create(GeneratorOptions options) =>
        new(options, ProductCatalogue.Build(CatalogueSeed), CustomerPool.Build(CatalogueSeed, CustomersFor(options)), TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));

    /// <summary>The customer base for a volume: --customers, or sized so loyalty customers visit about 12 times a year.</summary>
    public static int CustomersFor(GeneratorOptions options) =>
        options.Customers ?? CustomerPool.SizeFor(options.Rows, options.To.DayNumber - options.From.DayNumber + 1, MeanBasket, LoyaltyShare);

    /// <summary>Mean lines per receipt of <see cref="BasketSize"/> (about 2.24).</summary>
    private static readonly double MeanBasket = BasketSize.Select((p, n) => p * n).Sum() / BasketSize.Sum();

    public GeneratorOptions Options => _options;

    public IReadOnlyList<DayPlan> Days { get; }

    public ProductCatalogue Catalogue => _catalogue;

    public CustomerPool Customers => _customers;

    /// <summary>Several fields pre-encoded as one CSV fragment ("a,b,c"), quoted where needed.</summary>
    private static byte[] Join(params string[] fields) => Encoding.UTF8.GetBytes(string.Join(',', fields.Select(Utf8CsvWriter.Quote)));

    private List<DayPlan> PlanDays()
    {
        var dates = new List<DateOnly>();
        for (var d = _options.From; d <= _options.To; d = d.AddDays(1))
        {
            dates.Add(d);
        }
        var storeWeights = dates
            .Select(d => _stores.Select(s => s.IsOpenOn(d) ? s.Traffic * Seasonality.StoreRamp(s, d) : 0.0).ToArray())
            .ToArray();
        var dayWeights = dates.Select((d, i) => Seasonality.DayWeight(d) * storeWeights[i].Sum()).ToArray();
        if (dayWeights.Sum() <= 0)
        {
            throw new ArgumentException("every store is closed on every day of that range (Christmas Day?): choose a wider range.");
        }
        var perDay = LargestRemainder(_options.Rows, dayWeights);
        var plans = new List<DayPlan>(dates.Count);
        for (var i = 0; i < dates.Count; i++)
        {
            var perStore = LargestRemainder(perDay[i], storeWeights[i]);
            var byKey = new long[_stores.Max(s => s.Key) + 1];
            for (var s = 0; s < _stores.Count; s++)
            {
                byKey[_stores[s].Key] = perStore[s];
            }
            if (byKey.Any(r => r > (long)SalesCsv.MaxReceiptsPerStoreDay))
            {
                throw new ArgumentException($"{perDay[i]} rows on {dates[i]:yyyy-MM-dd} is more than receipt ids can number: spread them over more days.");
            }
            plans.Add(new DayPlan(i, dates[i], perDay[i], byKey));
        }
        return plans;
    }

    /// <summary>Splits total over weights in whole numbers that add up exactly (ties go to the earlier index).</summary>
    internal static long[] LargestRemainder(long total, IReadOnlyList<double> weights)
    {
        var sum = weights.Sum();
        var result = new long[weights.Count];
        if (total == 0 || sum <= 0)
        {
            return result;
        }
        var remainders = new (double frac, int index)[weights.Count];
        long assigned = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            var exact = total * (weights[i] / sum);
            result[i] = (long)Math.Floor(exact);
            assigned += result[i];
            remainders[i] = (exact - result[i], i);
        }
        foreach (var (_, index) in remainders.Where(r => weights[r.index] > 0).OrderByDescending(r => r.frac).ThenBy(r => r.index).Take((int)(total - assigned)))
        {
            result[index]++;
        }
        return result;
    }

    private struct Receipt
    {
        public int Seconds;
        public short Store;
        public int Sequence;
        public byte Lines;
        public int Customer; // index into the pool, -1 = anonymous
        public byte Payment;
        public byte Channel;
        public long ReturnOf;
    }

    /// <summary>
    /// Writes one day's CSV (header included) to <paramref name="output"/> and returns its totals and faults. Cancellation
    /// is checked every few thousand receipts, so Ctrl+C stops a big day at once.
    /// </summary>
    public DayResult WriteDay(DayPlan day, string fileName, Stream output, CancellationToken ct = default)
    {
        var receipts = BuildReceipts(day);
        var writer = new Utf8CsvWriter(output, 1 << 16);
        writer.Raw(HeaderBytes);

        var datePrefix = Encoding.ASCII.GetBytes(day.Date.ToString("yyyy-MM-dd'T'", System.Globalization.CultureInfo.InvariantCulture));
        var offset = _london.GetUtcOffset(day.Date.ToDateTime(new TimeOnly(12, 0)));
        var offsetSuffix = Encoding.ASCII.GetBytes($"{(offset < TimeSpan.Zero ? '-' : '+')}{Math.Abs(offset.Hours):00}:{Math.Abs(offset.Minutes):00}");
        var saleDay = Seasonality.IsSaleDay(day.Date);
        var month = day.Date.Month - 1;

        var maxKey = _storeFields.Length;
        var lines = new long[maxKey];
        var units = new long[maxKey];
        var revenue = new long[maxKey];
        var faults = new List<InjectedFault>();
        var faultRng = Prng.For(_options.Seed, day.Index, substream: 1_000_003);
        var dirty = _options.DirtyRate > 0;
        var scratch = dirty ? new MemoryStream(512) : null;
        var scratchWriter = dirty ? new Utf8CsvWriter(scratch!, 4096) : null;
        byte[]? lastValid = null;
        long physicalLine = 1;

        var done = 0;
        foreach (ref readonly var r in receipts.AsSpan())
        {
            if ((++done & 0xFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }
            var rng = Prng.For(_options.Seed, SalesCsv.ReceiptId(day.Date, r.Store, r.Sequence), substream: 17);
            var receiptId = SalesCsv.ReceiptId(day.Date, r.Store, r.Sequence);
            for (var line = 1; line <= r.Lines; line++)
            {
                var category = _categoryByMonth[month].Pick(ref rng);
                var product = _catalogue.ByCategory[category][_productInCategory[category].Pick(ref rng)];
                int quantity;
                long discount = 0;
                if (r.ReturnOf != 0)
                {
                    quantity = -1;
                }
                else
                {
                    var q = rng.NextDouble();
                    quantity = product.PricePence > 10_000 ? 1 : q < 0.80 ? 1 : q < 0.93 ? 2 : q < 0.98 ? 3 : 4;
                    if (rng.Chance(saleDay ? 0.35 : 0.08))
                    {
                        var percent = saleDay ? rng.Next(20, 41) : rng.Next(10, 21);
                        discount = (long)quantity * product.PricePence * percent / 100;
                    }
                }
                var total = ((long)quantity * product.PricePence) - discount;
                physicalLine++;

                if (dirty && faultRng.Chance(_options.DirtyRate))
                {
                    var kind = (FaultKind)faultRng.Next(8);
                    if (kind == FaultKind.DuplicateLine && lastValid is null)
                    {
                        kind = FaultKind.BadNumber;
                    }
                    writer.Raw(kind == FaultKind.DuplicateLine ? lastValid! : FaultyLine(kind, day, r, receiptId, line, product, quantity, discount, total, datePrefix, offsetSuffix));
                    faults.Add(new InjectedFault(fileName, physicalLine, kind));
                    continue;
                }

                if (dirty)
                {
                    scratch!.SetLength(0);
                    WriteLine(scratchWriter!, r, receiptId, line, product, quantity, discount, total, datePrefix, offsetSuffix);
                    scratchWriter!.Flush();
                    lastValid = scratch.ToArray();
                    writer.Raw(lastValid);
                }
                else
                {
                    WriteLine(writer, r, receiptId, line, product, quantity, discount, total, datePrefix, offsetSuffix);
                }
                lines[r.Store]++;
                units[r.Store] += quantity;
                revenue[r.Store] += total;
            }
        }
        writer.Flush();

        var controlTotals = _stores
            .Where(s => lines[s.Key] > 0)
            .Select(s => new ControlTotal(day.Date, s.Code, lines[s.Key], units[s.Key], revenue[s.Key]))
            .ToList();
        return new DayResult(day.Date, physicalLine - 1, lines.Sum(), units.Sum(), revenue.Sum(), controlTotals, faults);
    }

    private void WriteLine(Utf8CsvWriter w, in Receipt r, long receiptId, int line, Product product, int quantity, long discount, long total, byte[] datePrefix, byte[] offsetSuffix)
    {
        w.Integer(receiptId);
        w.Comma();
        w.Integer(line);
        w.Comma();
        WriteTimestamp(w, r.Seconds, datePrefix, offsetSuffix);
        w.Comma();
        w.Raw(_storeFields[r.Store]);
        w.Comma();
        w.Raw(_productFields[product.Key]);
        w.Comma();
        w.Integer(quantity);
        w.Comma();
        w.Money(product.PricePence);
        w.Comma();
        w.Money(discount);
        w.Comma();
        w.Money(total);
        w.Comma();
        w.Raw(PaymentFields[r.Payment]);
        w.Comma();
        w.Raw(ChannelFields[r.Channel]);
        w.Comma();
        if (r.Customer >= 0)
        {
            _customers.Write(w, r.Customer);
        }
        else
        {
            w.Comma();
        }
        w.Comma();
        if (r.ReturnOf != 0)
        {
            w.Integer(r.ReturnOf);
        }
        w.NewLine();
    }

    private static void WriteTimestamp(Utf8CsvWriter w, int seconds, byte[] datePrefix, byte[] offsetSuffix)
    {
        w.Raw(datePrefix);
        Two(w, seconds / 3600);
        w.Byte((byte)':');
        Two(w, seconds / 60 % 60);
        w.Byte((byte)':');
        Two(w, seconds % 60);
        w.Raw(offsetSuffix);
    }

    private static void Two(Utf8CsvWriter w, int v)
    {
        w.Byte((byte)('0' + (v / 10)));
        w.Byte((byte)('0' + (v % 10)));
    }

    /// <summary>The rare --dirty path: the valid line's fields, broken in one realistic way.</summary>
    private byte[] FaultyLine(FaultKind kind, DayPlan day, in Receipt r, long receiptId, int line, Product product, int quantity, long discount, long total, byte[] datePrefix, byte[] offsetSuffix)
    {
        var ms = new MemoryStream();
        var w = new Utf8CsvWriter(ms, 4096);
        WriteLine(w, r, receiptId, line, product, quantity, discount, total, datePrefix, offsetSuffix);
        w.Flush();
        var text = Encoding.UTF8.GetString(ms.ToArray()).TrimEnd('\r', '\n');
        var fields = ParseSimple(text);
        switch (kind)
        {
            case FaultKind.MissingField: fields[(int)SalesColumn.Sku] = ""; break;
            case FaultKind.BadNumber: fields[(int)SalesColumn.Quantity] = quantity == 1 ? "one" : "2x"; break;
            case FaultKind.BadDate: fields[(int)SalesColumn.SoldAt] = $"{day.Date:dd/MM/yyyy} 25:61"; break;
            case FaultKind.UnknownStore: fields[(int)SalesColumn.StoreCode] = "ZZZ"; break;
            case FaultKind.NegativePrice: fields[(int)SalesColumn.UnitPrice] = "-" + fields[(int)SalesColumn.UnitPrice].TrimStart('-'); break;
            case FaultKind.WrongColumnCount: fields.RemoveAt(fields.Count - 1); break;
            case FaultKind.EncodingError: break;
            default: throw new InvalidOperationException($"unexpected fault {kind}");
        }
        var bytes = new List<byte>();
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                bytes.Add((byte)',');
            }
            bytes.AddRange(Utf8CsvWriter.Encode(fields[i]));
            if (kind == FaultKind.EncodingError && i == (int)SalesColumn.ProductName)
            {
                // A stray Latin-1 byte: what a till with the wrong code page exports.
                bytes.Add(0xA3);
            }
        }
        bytes.Add((byte)'\r');
        bytes.Add((byte)'\n');
        return bytes.ToArray();
    }

    private static List<string> ParseSimple(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') { quoted = false; }
                else { sb.Append(c); }
            }
            else if (c == '"') { quoted = true; }
            else if (c == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else { sb.Append(c); }
        }
        fields.Add(sb.ToString());
        return fields;
    }

    private Receipt[] BuildReceipts(DayPlan day)
    {
        var all = new List<Receipt>();
        foreach (var store in _stores)
        {
            var rows = day.StoreRows[store.Key];
            if (rows == 0)
            {
                continue;
            }
            var rng = Prng.For(_options.Seed, day.Index + ((long)day.Date.DayNumber << 20), store.Key);
            var hours = store.Hours(day.Date);
            var hourPicker = HourPicker(hours);
            var storeReceipts = new List<Receipt>();
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
                    customer = rng.Chance(HomeStoreShare) ? _customers.PickAt(store.Key, ref rng) : _customers.PickAny(ref rng);
                }
                var hour = hours.Open + hourPicker.Pick(ref rng);
                storeReceipts.Add(new Receipt
                {
                    Seconds = (hour * 3600) + rng.Next(3600),
                    Store = store.Key,
                    Lines = (byte)size,
                    Customer = customer,
                    Payment = (byte)payment,
                    Channel = (byte)channel,
                    ReturnOf = isReturn ? -1 : 0,
                });
                remaining -= size;
            }
            storeReceipts.Sort((a, b) => a.Seconds.CompareTo(b.Seconds));
            for (var i = 0; i < storeReceipts.Count; i++)
            {
                var r = storeReceipts[i];
                r.Sequence = i + 1;
                if (r.ReturnOf != 0)
                {
                    // With no earlier receipt to point at, it stays an ordinary one-line sale.
                    r.ReturnOf = EarlierReceipt(day, store, r.Sequence, ref rng);
                }
                storeReceipts[i] = r;
            }
            all.AddRange(storeReceipts);
        }
        // A till export is in time order across the chain.
        all.Sort((a, b) => a.Seconds != b.Seconds ? a.Seconds.CompareTo(b.Seconds) : a.Store != b.Store ? a.Store.CompareTo(b.Store) : a.Sequence.CompareTo(b.Sequence));
        return all.ToArray();
    }

    /// <summary>A receipt guaranteed to exist: an earlier day in the range (every store-day has at least rows/8 receipts), else earlier today.</summary>
    private long EarlierReceipt(DayPlan day, Store store, int sequence, ref Prng rng)
    {
        var back = rng.Next(1, 15);
        if (day.Index - back >= 0)
        {
            var earlier = Days[day.Index - back];
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
                picker = new WeightedPicker(Enumerable.Range(hours.Open, hours.Close - hours.Open).Select(h => Math.Max(0.05, Seasonality.HourWeight(h))).ToArray());
                _hourPickers[hours] = picker;
            }
            return picker;
        }
    }
}
