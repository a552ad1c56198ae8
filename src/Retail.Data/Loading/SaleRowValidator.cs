using nietras.SeparatedValues;
using Retail.Core;
using Retail.Core.Formats;

namespace Retail.Data.Loading;

/// <summary>
/// Checks one staging row and resolves its keys in memory. One instance per file: it collects the SKUs and customers
/// the warehouse does not know yet, with keys reserved for them.
/// </summary>
internal sealed class SaleRowValidator(IDimensionLookup dims, IKeySource productKeys, IKeySource customerKeys)
{
    /// <summary>Largest unit price accepted, in pence (£100,000): anything above is a typo or an attack.</summary>
    public const long MaxUnitPricePence = 10_000_000;

    /// <summary>discount_pence is an integer column: larger discounts cannot be stored exactly.</summary>
    public const long MaxDiscountPence = int.MaxValue;

    public Dictionary<string, NewProduct> NewProducts { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, NewCustomer> NewCustomers { get; } = new(StringComparer.Ordinal);

    /// <summary>Fills <paramref name="row"/> and returns null when the row is valid, else why not.</summary>
    public Rejection? Validate(SepReader.Row r, ref SaleRow row)
    {
        if (r.ColCount != Col.Count)
        {
            return Reject(RejectReason.ColumnCount, $"column count: expected {Col.Count} columns, found {r.ColCount}");
        }
        if (StagingFile.HasBadText(r.Span))
        {
            return Reject(RejectReason.Encoding,
                r.Span.Contains('\0') ? "encoding: the line holds a NUL character" : "encoding: the line is not valid UTF-8");
        }
        if (!FieldParser.Long(r[Col.TransactionId].Span, out row.TransactionId) || row.TransactionId <= 0)
        {
            return Bad(RejectReason.TransactionId, "transaction_id", r[Col.TransactionId].Span, "a positive whole number");
        }
        if (!FieldParser.Long(r[Col.LineNo].Span, out var lineNo) || lineNo is < 1 or > 999)
        {
            return Bad(RejectReason.LineNo, "line_no", r[Col.LineNo].Span, "a whole number from 1 to 999");
        }
        row.LineNo = (short)lineNo;
        if (!FieldParser.Timestamp(r[Col.SoldAt].Span, out row.SaleDate, out row.LocalHour, out row.SoldAtUtc))
        {
            return Bad(RejectReason.SoldAt, "sold_at", r[Col.SoldAt].Span,
                "an ISO-8601 timestamp with offset, e.g. 2025-03-01T10:15:00+00:00");
        }
        if (!Calendar.Contains(row.SaleDate))
        {
            return Reject(RejectReason.SoldAt,
                $"sold_at: {row.SaleDate:yyyy-MM-dd} is outside the warehouse calendar ({Calendar.Start:yyyy} to {Calendar.End:yyyy})");
        }
        var storeCode = r[Col.StoreCode].Span;
        if (storeCode.IsEmpty)
        {
            return Reject(RejectReason.StoreCode, "missing store_code");
        }
        if (!dims.Store(storeCode, out row.StoreKey))
        {
            return Reject(RejectReason.StoreCode, $"unknown store_code '{storeCode}'");
        }
        var sku = r[Col.Sku].Span;
        if (sku.IsEmpty)
        {
            return Reject(RejectReason.Sku, "missing sku");
        }
        if (!dims.Category(r[Col.Category].Span, out row.CategoryKey))
        {
            return Reject(RejectReason.Category, $"category: '{r[Col.Category].Span}' is not an accepted category");
        }
        if (MoneyAndQuantity(r, ref row) is { } moneyProblem)
        {
            return moneyProblem;
        }
        if (!dims.Payment(r[Col.Payment].Span, out row.PaymentKey))
        {
            return Reject(RejectReason.PaymentMethod,
                $"payment_method: '{r[Col.Payment].Span}' is not one of {string.Join(", ", SalesCsv.PaymentMethods)}");
        }
        if (!dims.Channel(r[Col.Channel].Span, out row.ChannelKey))
        {
            return Reject(RejectReason.Channel, $"channel: '{r[Col.Channel].Span}' is not one of {string.Join(", ", SalesCsv.Channels)}");
        }
        var returnOf = r[Col.ReturnOf].Span;
        row.ReturnOf = 0;
        if (!returnOf.IsEmpty && (!FieldParser.Long(returnOf, out row.ReturnOf) || row.ReturnOf <= 0))
        {
            return Bad(RejectReason.ReturnOf, "return_of", returnOf, "empty or a transaction id");
        }
        if (row.Quantity < 0 && row.ReturnOf == 0)
        {
            return Reject(RejectReason.ReturnOf, "return_of: a negative quantity (a return) must name the original transaction");
        }
        return ResolveMembers(r, ref row);
    }

    /// <summary>Quantity, price, discount and total: each range-checked before it is narrowed to its column's type.</summary>
    private static Rejection? MoneyAndQuantity(SepReader.Row r, ref SaleRow row)
    {
        if (!FieldParser.Long(r[Col.Quantity].Span, out var quantity) || quantity == 0 || quantity is < -1000 or > 1000)
        {
            return Bad(RejectReason.Quantity, "quantity", r[Col.Quantity].Span, "a non-zero whole number from -1000 to 1000");
        }
        if (!FieldParser.Money(r[Col.UnitPrice].Span, out var price))
        {
            return Bad(RejectReason.UnitPrice, "unit_price", r[Col.UnitPrice].Span, "an amount in pounds such as 12.99");
        }
        if (price is < 0 or > MaxUnitPricePence)
        {
            return Reject(RejectReason.UnitPrice,
                $"unit_price: {r[Col.UnitPrice].Span} is negative or above the £{MaxUnitPricePence / 100:N0} limit");
        }
        if (!FieldParser.Money(r[Col.Discount].Span, out var discount) || discount < 0)
        {
            return Bad(RejectReason.Discount, "discount", r[Col.Discount].Span, "a non-negative amount in pounds");
        }
        if (!FieldParser.Money(r[Col.LineTotal].Span, out var total))
        {
            return Bad(RejectReason.LineTotal, "line_total", r[Col.LineTotal].Span, "an amount in pounds");
        }
        // |quantity × price| ≤ 1,000 × 10^7 and discount < 10^13 (FieldParser.Money): no overflow in long.
        var value = quantity * price;
        var expected = value - discount;
        if (total != expected)
        {
            return Reject(RejectReason.LineTotal,
                $"line_total: {r[Col.LineTotal].Span} is not quantity × unit_price − discount ({Money.Plain(expected)})");
        }
        if (discount > MaxDiscountPence)
        {
            return Reject(RejectReason.Discount,
                $"discount: {r[Col.Discount].Span} is above the £{MaxDiscountPence / 100m:N2} one line can hold");
        }
        if (discount > Math.Abs(value))
        {
            return Reject(RejectReason.Discount, $"discount: {r[Col.Discount].Span} exceeds the line's value");
        }
        row.Quantity = (int)quantity;
        row.UnitPricePence = (int)price;
        row.DiscountPence = (int)discount;
        row.LineTotalPence = total;
        return null;
    }

    /// <summary>Members the preload missed (it is only a quick scan) are created here, after every other check.</summary>
    private Rejection? ResolveMembers(SepReader.Row r, ref SaleRow row)
    {
        var sku = r[Col.Sku].Span;
        if (dims.Product(sku, out var product))
        {
            row.ProductKey = product.Key;
            row.CategoryKey = product.Category;
        }
        else
        {
            var skuText = sku.ToString();
            if (!NewProducts.TryGetValue(skuText, out var np))
            {
                var productName = r[Col.ProductName].ToString();
                if (productName.Length == 0)
                {
                    return Reject(RejectReason.ProductName, "missing product_name for a new sku");
                }
                np = new NewProduct(productKeys.Next(), skuText, productName, row.CategoryKey, r[Col.Subcategory].ToString(),
                    r[Col.Brand].ToString());
                NewProducts[skuText] = np;
            }
            row.ProductKey = np.Key;
            row.CategoryKey = np.CategoryKey;
        }
        var customerId = r[Col.CustomerId].Span;
        if (customerId.IsEmpty)
        {
            row.CustomerKey = 0;
        }
        else if (dims.Customer(customerId, out var customerKey))
        {
            row.CustomerKey = customerKey;
        }
        else
        {
            var idText = customerId.ToString();
            if (!NewCustomers.TryGetValue(idText, out var nc))
            {
                nc = new NewCustomer(customerKeys.Next(), idText, r[Col.CustomerName].ToString());
                NewCustomers[idText] = nc;
            }
            row.CustomerKey = nc.Key;
        }
        return null;
    }

    private static Rejection Bad(RejectReason code, string column, ReadOnlySpan<char> value, string wanted) =>
        new(code, value.IsEmpty ? $"missing {column}" : $"{column}: '{value}' is not {wanted}");

    private static Rejection Reject(RejectReason code, string message) => new(code, message);
}

/// <summary>The dates the warehouse's calendar (dim_date) covers; rows outside it are rejected.</summary>
internal static class Calendar
{
    public static DateOnly Start => Warehouse.WarehouseSchema.CalendarStart;
    public static DateOnly End => Warehouse.WarehouseSchema.CalendarEnd;

    public static bool Contains(DateOnly d) => d >= Start && d <= End;
}
