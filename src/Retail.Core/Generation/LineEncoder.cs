using System.Globalization;
using System.Text;
using Retail.Core.Catalogue;
using Retail.Core.Formats;

namespace Retail.Core.Generation;

/// <summary>A sale line's values before encoding: what the encoder writes and the fault injector edits.</summary>
internal readonly record struct SaleLine(long ReceiptId, int Line, Product Product, int Quantity, long DiscountPence, long TotalPence);

/// <summary>The date part and UTC offset every timestamp of one day shares, pre-encoded.</summary>
internal sealed class DayStamp(DateOnly date, TimeSpan offset)
{
    public byte[] DatePrefix { get; } = Encoding.ASCII.GetBytes(date.ToString("yyyy-MM-dd'T'", CultureInfo.InvariantCulture));

    public byte[] OffsetSuffix { get; } =
        Encoding.ASCII.GetBytes($"{(offset < TimeSpan.Zero ? '-' : '+')}{Math.Abs(offset.Hours):00}:{Math.Abs(offset.Minutes):00}");

    public string Text(int seconds) =>
        $"{Encoding.ASCII.GetString(DatePrefix)}{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}"
        + Encoding.ASCII.GetString(OffsetSuffix);
}

/// <summary>
/// Encodes sale lines as staging CSV in <see cref="SalesColumn"/> order, straight into the output buffer from
/// pre-encoded store, product and lookup fields (the hot path); <see cref="Fields"/> gives the same line as text fields.
/// </summary>
internal sealed class LineEncoder
{
    public static readonly byte[] HeaderBytes = Encoding.UTF8.GetBytes(SalesCsv.Header + "\r\n");
    private static readonly byte[][] PaymentFields = SalesCsv.PaymentMethods.Select(Utf8CsvWriter.Encode).ToArray();
    private static readonly byte[][] ChannelFields = SalesCsv.Channels.Select(Utf8CsvWriter.Encode).ToArray();

    private readonly IReadOnlyList<Store> _stores;
    private readonly CustomerPool _customers;
    private readonly byte[][] _storeFields;
    private readonly byte[][] _productFields;

    public LineEncoder(IReadOnlyList<Store> stores, ProductCatalogue catalogue, CustomerPool customers)
    {
        _stores = stores;
        _customers = customers;
        _storeFields = new byte[stores.Max(s => s.Key) + 1][];
        foreach (var s in stores)
        {
            _storeFields[s.Key] = Join(s.Code, s.Name, s.Town);
        }
        _productFields = new byte[catalogue.Products.Count + 1][];
        foreach (var p in catalogue.Products)
        {
            _productFields[p.Key] = Join(p.Sku, p.Name, p.Category, p.Subcategory, p.Brand);
        }
    }

    /// <summary>One more than the largest store key: the size of per-store arrays.</summary>
    public int StoreSlots => _storeFields.Length;

    /// <summary>Several fields pre-encoded as one CSV fragment ("a,b,c"), quoted where needed.</summary>
    private static byte[] Join(params string[] fields) => Encoding.UTF8.GetBytes(string.Join(',', fields.Select(Utf8CsvWriter.Quote)));

    public void Write(Utf8CsvWriter w, in Receipt r, in SaleLine s, DayStamp stamp)
    {
        w.Integer(s.ReceiptId);
        w.Comma();
        w.Integer(s.Line);
        w.Comma();
        w.Raw(stamp.DatePrefix);
        Two(w, r.Seconds / 3600);
        w.Byte((byte)':');
        Two(w, r.Seconds / 60 % 60);
        w.Byte((byte)':');
        Two(w, r.Seconds % 60);
        w.Raw(stamp.OffsetSuffix);
        w.Comma();
        w.Raw(_storeFields[r.Store]);
        w.Comma();
        w.Raw(_productFields[s.Product.Key]);
        w.Comma();
        w.Integer(s.Quantity);
        w.Comma();
        w.Money(s.Product.PricePence);
        w.Comma();
        w.Money(s.DiscountPence);
        w.Comma();
        w.Money(s.TotalPence);
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

    /// <summary>The line <see cref="Write"/> would write, as unquoted fields in <see cref="SalesColumn"/> order.</summary>
    public List<string> Fields(in Receipt r, in SaleLine s, DayStamp stamp)
    {
        var storeKey = r.Store;
        var store = _stores.First(x => x.Key == storeKey);
        var p = s.Product;
        return
        [
            s.ReceiptId.ToString(CultureInfo.InvariantCulture), s.Line.ToString(CultureInfo.InvariantCulture), stamp.Text(r.Seconds),
            store.Code, store.Name, store.Town, p.Sku, p.Name, p.Category, p.Subcategory, p.Brand,
            s.Quantity.ToString(CultureInfo.InvariantCulture),
            Money.Plain(p.PricePence), Money.Plain(s.DiscountPence), Money.Plain(s.TotalPence),
            SalesCsv.PaymentMethods[r.Payment], SalesCsv.Channels[r.Channel],
            r.Customer >= 0 ? _customers.Id(r.Customer) : "", r.Customer >= 0 ? _customers.Name(r.Customer) : "",
            r.ReturnOf != 0 ? r.ReturnOf.ToString(CultureInfo.InvariantCulture) : "",
        ];
    }

    private static void Two(Utf8CsvWriter w, int v)
    {
        w.Byte((byte)('0' + (v / 10)));
        w.Byte((byte)('0' + (v % 10)));
    }
}
