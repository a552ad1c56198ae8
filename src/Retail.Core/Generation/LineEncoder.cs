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

    /// <summary>Room for the numbers of a line: ids, line number, time, quantity, money and the commas between.</summary>
    private const int NumberBytes = 256;

    private readonly IReadOnlyList<Store> _stores;
    private readonly CustomerPool _customers;
    private readonly byte[][] _storeFields;
    private readonly byte[][] _productFields;
    private readonly byte[][] _priceFields;

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
        _priceFields = new byte[catalogue.Products.Count + 1][];
        foreach (var p in catalogue.Products)
        {
            _productFields[p.Key] = Join(p.Sku, p.Name, p.Category, p.Subcategory, p.Brand);
            _priceFields[p.Key] = PriceField(p.PricePence);
        }
        ReceiptBytes = NumberBytes + _storeFields.Max(f => f?.Length ?? 0) + PaymentFields.Max(f => f.Length)
            + ChannelFields.Max(f => f.Length) + customers.MaxFieldsBytes;
        MaxLineBytes = ReceiptBytes + _productFields.Max(f => f?.Length ?? 0) + _priceFields.Max(f => f?.Length ?? 0);
    }

    /// <summary>One more than the largest store key: the size of per-store arrays.</summary>
    public int StoreSlots => _storeFields.Length;

    /// <summary>The most bytes a receipt's shared fields take (a bound, with room to spare).</summary>
    public int ReceiptBytes { get; }

    /// <summary>The most bytes one line takes (a bound, with room to spare).</summary>
    public int MaxLineBytes { get; }

    /// <summary>Several fields pre-encoded as one CSV fragment ("a,b,c"), quoted where needed.</summary>
    private static byte[] Join(params string[] fields) => Encoding.UTF8.GetBytes(string.Join(',', fields.Select(Utf8CsvWriter.Quote)));

    /// <summary>
    /// Encodes what every line of a receipt repeats, once: the start (transaction id and comma), the middle
    /// (",time,store fields,") and the end (",payment,channel,customer id,name,return of\r\n").
    /// </summary>
    public void Begin(ReceiptBytes into, in Receipt r, long receiptId, DayStamp stamp)
    {
        var b = into.Buffer.AsSpan();
        var n = AsciiNumbers.Integer(b, receiptId);
        b[n++] = (byte)',';
        into.StartEnd = n;
        b[n++] = (byte)',';
        stamp.DatePrefix.CopyTo(b[n..]);
        n += stamp.DatePrefix.Length;
        n = Two(b, n, r.Seconds / 3600);
        b[n++] = (byte)':';
        n = Two(b, n, r.Seconds / 60 % 60);
        b[n++] = (byte)':';
        n = Two(b, n, r.Seconds % 60);
        stamp.OffsetSuffix.CopyTo(b[n..]);
        n += stamp.OffsetSuffix.Length;
        b[n++] = (byte)',';
        n = Copy(b, n, _storeFields[r.Store]);
        b[n++] = (byte)',';
        into.MiddleEnd = n;
        b[n++] = (byte)',';
        n = Copy(b, n, PaymentFields[r.Payment]);
        b[n++] = (byte)',';
        n = Copy(b, n, ChannelFields[r.Channel]);
        b[n++] = (byte)',';
        if (r.Customer >= 0)
        {
            n += _customers.Write(b[n..], r.Customer);
        }
        else
        {
            b[n++] = (byte)',';
        }
        b[n++] = (byte)',';
        if (r.ReturnOf != 0)
        {
            n += AsciiNumbers.Integer(b[n..], r.ReturnOf);
        }
        b[n++] = (byte)'\r';
        b[n++] = (byte)'\n';
        into.End = n;
    }

    /// <summary>Writes one line of the receipt <see cref="Begin"/> encoded.</summary>
    public void Write(Utf8CsvWriter w, ReceiptBytes receipt, in SaleLine s)
    {
        var d = w.GetSpan(MaxLineBytes);
        var r = receipt.Buffer.AsSpan();
        r[..receipt.StartEnd].CopyTo(d);
        var n = receipt.StartEnd;
        n += AsciiNumbers.Integer(d[n..], s.Line);
        r[receipt.StartEnd..receipt.MiddleEnd].CopyTo(d[n..]);
        n += receipt.MiddleEnd - receipt.StartEnd;
        n = Copy(d, n, _productFields[s.Product.Key]);
        d[n++] = (byte)',';
        n += AsciiNumbers.Integer(d[n..], s.Quantity);
        n = Copy(d, n, _priceFields[s.Product.Key]);
        n += AsciiNumbers.Money(d[n..], s.DiscountPence);
        d[n++] = (byte)',';
        n += AsciiNumbers.Money(d[n..], s.TotalPence);
        r[receipt.MiddleEnd..receipt.End].CopyTo(d[n..]);
        w.Advance(n + receipt.End - receipt.MiddleEnd);
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

    /// <summary>",unit price," as every line of the product writes it.</summary>
    private static byte[] PriceField(long pence)
    {
        Span<byte> b = stackalloc byte[32];
        b[0] = (byte)',';
        var n = 1 + AsciiNumbers.Money(b[1..], pence);
        b[n++] = (byte)',';
        return b[..n].ToArray();
    }

    private static int Copy(Span<byte> dest, int at, byte[] bytes)
    {
        bytes.CopyTo(dest[at..]);
        return at + bytes.Length;
    }

    private static int Two(Span<byte> dest, int at, int v)
    {
        dest[at] = (byte)('0' + (v / 10));
        dest[at + 1] = (byte)('0' + (v % 10));
        return at + 2;
    }
}

/// <summary>One receipt's shared fields as <see cref="LineEncoder.Begin"/> encoded them: [0, StartEnd) goes before the line
/// number, [StartEnd, MiddleEnd) between it and the product, [MiddleEnd, End) after the line total.</summary>
internal sealed class ReceiptBytes(int size)
{
    public readonly byte[] Buffer = new byte[size];
    public int StartEnd;
    public int MiddleEnd;
    public int End;
}
