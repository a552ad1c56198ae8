using nietras.SeparatedValues;
using Retail.Data.Loading;

namespace Retail.UnitTests.Loading;

public sealed class SaleRowValidatorTests
{
    private const string Good = "2026030201000001,1,2026-03-02T08:06:04+00:00,HEN,Argos Hendon,Hendon,801/0830,Lounge Pants "
        + "XL,Clothing,Nightwear,Argos Home,2,24.99,1.00,48.98,cash,in_store,C0021770,Rebekah Kiehn,";

    private sealed class Lookup : IDimensionLookup
    {
        private static bool Find<T>(Dictionary<string, T> map, ReadOnlySpan<char> name, out T value) =>
            map.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(name, out value!);

        public Dictionary<string, short> Stores { get; } = new() { ["HEN"] = 1 };
        public Dictionary<string, (int, short)> Products { get; } = new() { ["801/0830"] = (7, 3) };
        public Dictionary<string, int> Customers { get; } = new() { ["C0000001"] = 5 };

        public bool Store(ReadOnlySpan<char> code, out short key) => Find(Stores, code, out key);
        public bool Category(ReadOnlySpan<char> name, out short key) => Find(new Dictionary<string,
            short> { ["Clothing"] = 3, ["Toys"] = 4 }, name, out key);
        public bool Payment(ReadOnlySpan<char> name, out short key) => Find(new Dictionary<string, short> { ["cash"] = 3 }, name, out key);
        public bool Channel(ReadOnlySpan<char> name, out short key) => Find(new Dictionary<string, short> { ["in_store"] = 1 }, name,
            out key);
        public bool Product(ReadOnlySpan<char> sku, out (int Key, short Category) p) => Find(Products, sku, out p);
        public bool Customer(ReadOnlySpan<char> id, out int key) => Find(Customers, id, out key);
    }

    private sealed class Counter(int first) : IKeySource
    {
        private int _next = first;
        public int Next() => _next++;
    }

    private static (Rejection? Reason, SaleRow Row, SaleRowValidator Validator) Validate(string line)
    {
        var validator = new SaleRowValidator(new Lookup(), new Counter(100), new Counter(500));
        using var reader = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true,
            DisableColCountCheck = true }).FromText(line);
        Assert.True(reader.MoveNext());
        var row = new SaleRow();
        var reason = validator.Validate(reader.Current, ref row);
        return (reason, row, validator);
    }

    private static string With(int column, string value)
    {
        var fields = Good.Split(',');
        fields[column] = value;
        return string.Join(',', fields);
    }

    [Fact]
    public void A_good_row_is_resolved_to_keys_and_pence()
    {
        var (reason, row, v) = Validate(Good);
        Assert.Null(reason);
        Assert.Equal(2026030201000001, row.TransactionId);
        Assert.Equal(new DateOnly(2026, 3, 2), row.SaleDate);
        Assert.Equal((short)1, row.StoreKey);
        Assert.Equal(7, row.ProductKey);
        Assert.Equal((2, 2499, 100, 4898L), (row.Quantity, row.UnitPricePence, row.DiscountPence, row.LineTotalPence));
        // A customer the warehouse does not know gets a reserved key, once.
        Assert.Equal(500, row.CustomerKey);
        Assert.Equal("Rebekah Kiehn", Assert.Single(v.NewCustomers).Value.Name);
    }

    [Theory]
    [InlineData(3, "XXX", RejectReason.StoreCode, "unknown store_code 'XXX'")]
    [InlineData(3, "", RejectReason.StoreCode, "missing store_code")]
    [InlineData(0, "12a", RejectReason.TransactionId, "transaction_id: '12a' is not a positive whole number")]
    [InlineData(1, "0", RejectReason.LineNo, "line_no: '0' is not a whole number from 1 to 999")]
    [InlineData(2, "2026-03-02 08:06:04", RejectReason.SoldAt,
        "sold_at: '2026-03-02 08:06:04' is not an ISO-8601 timestamp with offset, e.g. 2025-03-01T10:15:00+00:00")]
    [InlineData(8, "Garden", RejectReason.Category, "category: 'Garden' is not an accepted category")]
    [InlineData(12, "-1.00", RejectReason.UnitPrice, "unit_price: -1.00 is negative or above the £100,000 limit")]
    [InlineData(14, "48.99", RejectReason.LineTotal, "line_total: 48.99 is not quantity × unit_price − discount (48.98)")]
    [InlineData(15, "cheque", RejectReason.PaymentMethod, "payment_method: 'cheque' is not one of card, contactless, cash, gift_card")]
    [InlineData(11, "-2", RejectReason.ReturnOf, "return_of: a negative quantity (a return) must name the original transaction")]
    public void A_bad_field_gets_its_code_and_a_message_naming_what_was_expected(int column, string value, RejectReason code,
        string expected)
    {
        var line = column == 11 ? With(14, "-50.98").Replace(",2,24.99,", ",-2,24.99,") : With(column, value);
        Assert.Equal(new Rejection(code, expected), Validate(line).Reason);
    }

    [Fact]
    public void Codes_are_stored_in_snake_case()
    {
        Assert.Equal("store_code", new Rejection(RejectReason.StoreCode, "x").CodeText);
        Assert.Equal("column_count", new Rejection(RejectReason.ColumnCount, "x").CodeText);
    }

    [Fact]
    public void A_short_row_is_rejected_for_its_column_count()
    {
        Assert.Equal(new Rejection(RejectReason.ColumnCount, "column count: expected 20 columns, found 19"),
            Validate(Good[..Good.LastIndexOf(',')]).Reason);
    }

    [Fact]
    public void A_new_sku_needs_a_product_name_and_takes_its_category_from_the_row()
    {
        Assert.Equal(new Rejection(RejectReason.ProductName, "missing product_name for a new sku"),
            Validate(With(6, "999/0001").Replace("Lounge Pants XL", "")).Reason);
        var (reason, row, v) = Validate(With(6, "999/0001").Replace("Clothing", "Toys"));
        Assert.Null(reason);
        Assert.Equal((100, (short)4), (row.ProductKey, row.CategoryKey));
        Assert.Single(v.NewProducts);
    }
}
