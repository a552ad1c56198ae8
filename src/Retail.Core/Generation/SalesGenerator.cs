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

    private readonly GeneratorOptions _options;
    private readonly IReadOnlyList<Store> _stores;
    private readonly ProductCatalogue _catalogue;
    private readonly CustomerPool _customers;
    private readonly TimeZoneInfo _london;
    private readonly ReceiptPlanner _planner;
    private readonly LineEncoder _encoder;

    private readonly WeightedPicker[] _categoryByMonth;
    private readonly WeightedPicker[] _productInCategory;
    private readonly Product[][] _productsByCategory;

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
        _productsByCategory = catalogue.ByCategory.Select(list => list.ToArray()).ToArray();

        _encoder = new LineEncoder(_stores, catalogue, customers);
        Days = PlanDays();
        _planner = new ReceiptPlanner(options, _stores, customers, i => Days[i]);
    }

    /// <summary>Builds a generator with the standard catalogue, customer pool and UK time zone.</summary>
    public static SalesGenerator Create(GeneratorOptions options)
    {
        // The pool first: its names are drawn in the background while the catalogue and the days are planned.
        var customers = CustomerPool.Build(CatalogueSeed, CustomersFor(options));
        return new(options, ProductCatalogue.Build(CatalogueSeed), customers, TimeZoneInfo.FindSystemTimeZoneById("Europe/London"));
    }

    /// <summary>The customer base for a volume: --customers, or sized so loyalty customers visit about 12 times a year.</summary>
    public static int CustomersFor(GeneratorOptions options) =>
        options.Customers ?? CustomerPool.SizeFor(options.Rows, options.To.DayNumber - options.From.DayNumber + 1,
            ReceiptPlanner.MeanBasket, ReceiptPlanner.LoyaltyShare);

    public GeneratorOptions Options => _options;

    public IReadOnlyList<DayPlan> Days { get; }

    public ProductCatalogue Catalogue => _catalogue;

    public CustomerPool Customers => _customers;

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
                throw new ArgumentException($"{perDay[i]} rows on {dates[i]:yyyy-MM-dd} is more than receipt ids can number: spread them "
                    + $"over more days.");
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
        var roundedUp = remainders.Where(r => weights[r.index] > 0).OrderByDescending(r => r.frac).ThenBy(r => r.index)
            .Take((int)(total - assigned));
        foreach (var (_, index) in roundedUp)
        {
            result[index]++;
        }
        return result;
    }

    /// <summary>
    /// Writes one day's CSV (header included) to <paramref name="output"/> and returns its totals and faults. Cancellation
    /// is checked every few thousand receipts, so Ctrl+C stops a big day at once.
    /// </summary>
    public GeneratedDay WriteDay(DayPlan day, string fileName, Stream output, CancellationToken ct = default)
    {
        var receipts = _planner.Plan(day);
        var writer = new Utf8CsvWriter(output, 1 << 16);
        writer.Raw(LineEncoder.HeaderBytes);

        var stamp = new DayStamp(day.Date, _london.GetUtcOffset(day.Date.ToDateTime(new TimeOnly(12, 0))));
        var saleDay = Seasonality.IsSaleDay(day.Date);
        var month = day.Date.Month - 1;

        var lines = new long[_encoder.StoreSlots];
        var units = new long[_encoder.StoreSlots];
        var revenue = new long[_encoder.StoreSlots];
        var faults = new List<InjectedFault>();
        var faultRng = Prng.For(_options.Seed, day.Index, substream: 1_000_003);
        var dirty = _options.DirtyRate > 0;
        var scratch = dirty ? new MemoryStream(512) : null;
        var scratchWriter = dirty ? new Utf8CsvWriter(scratch!, 4096) : null;
        var shared = new ReceiptBytes(_encoder.ReceiptBytes);
        byte[]? lastValid = null;
        long physicalLine = 1;

        var done = 0;
        for (var at = 0; at < receipts.Count; at++)
        {
            ref readonly var r = ref receipts.At(at);
            if ((++done & 0xFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }
            var receiptId = SalesCsv.ReceiptId(day.Date, r.Store, r.Sequence);
            var rng = Prng.For(_options.Seed, receiptId, substream: 17);
            _encoder.Begin(shared, r, receiptId, stamp);
            for (var line = 1; line <= r.Lines; line++)
            {
                var sale = DrawLine(r, receiptId, line, month, saleDay, ref rng);
                physicalLine++;

                if (dirty && faultRng.Chance(_options.DirtyRate))
                {
                    var kind = (FaultKind)faultRng.Next(8);
                    if (kind == FaultKind.DuplicateLine && lastValid is null)
                    {
                        kind = FaultKind.BadNumber;
                    }
                    writer.Raw(kind == FaultKind.DuplicateLine ? lastValid! : FaultInjector.Encode(kind, _encoder.Fields(r, sale, stamp),
                        day.Date, sale.Quantity));
                    faults.Add(new InjectedFault(fileName, physicalLine, kind));
                    continue;
                }

                if (dirty)
                {
                    scratch!.SetLength(0);
                    _encoder.Write(scratchWriter!, shared, sale);
                    scratchWriter!.Flush();
                    lastValid = scratch.ToArray();
                    writer.Raw(lastValid);
                }
                else
                {
                    _encoder.Write(writer, shared, sale);
                }
                lines[r.Store]++;
                units[r.Store] += sale.Quantity;
                revenue[r.Store] += sale.TotalPence;
            }
        }
        writer.Flush();

        var controlTotals = _stores
            .Where(s => lines[s.Key] > 0)
            .Select(s => new ControlTotal(day.Date, s.Code, lines[s.Key], units[s.Key], revenue[s.Key]))
            .ToList();
        return new GeneratedDay(day.Date, physicalLine - 1, lines.Sum(), units.Sum(), revenue.Sum(), controlTotals, faults);
    }

    /// <summary>One line of a receipt: product by the month's category mix and Zipf popularity, quantity, discount.</summary>
    private SaleLine DrawLine(in Receipt r, long receiptId, int line, int month, bool saleDay, ref Prng rng)
    {
        var category = _categoryByMonth[month].Pick(ref rng);
        var product = _productsByCategory[category][_productInCategory[category].Pick(ref rng)];
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
        return new SaleLine(receiptId, line, product, quantity, discount, ((long)quantity * product.PricePence) - discount);
    }
}
