using Retail.Core.Formats;
using Retail.Data.Loading;

namespace Retail.UnitTests.Core;

public sealed class SalesCsvTests
{
    [Fact]
    public void The_loader_reads_each_column_at_the_position_the_format_names_it()
    {
        var positions = new (int Index, string Name)[]
        {
            (Col.TransactionId, "transaction_id"), (Col.LineNo, "line_no"), (Col.SoldAt, "sold_at"), (Col.StoreCode, "store_code"),
            (Col.Sku, "sku"), (Col.ProductName, "product_name"), (Col.Category, "category"), (Col.Subcategory, "subcategory"),
            (Col.Brand, "brand"), (Col.Quantity, "quantity"), (Col.UnitPrice, "unit_price"), (Col.Discount, "discount"),
            (Col.LineTotal, "line_total"), (Col.Payment, "payment_method"), (Col.Channel, "channel"), (Col.CustomerId, "customer_id"),
            (Col.CustomerName, "customer_name"), (Col.ReturnOf, "return_of"),
        };
        foreach (var (index, name) in positions)
        {
            Assert.Equal(name, SalesCsv.Columns[index]);
        }
        Assert.Equal(SalesCsv.Columns.Length, Col.Count);
        Assert.Equal(string.Join(',', SalesCsv.Columns), SalesCsv.Header);
    }

    [Fact]
    public void The_header_is_the_published_format() =>
        Assert.Equal("transaction_id,line_no,sold_at,store_code,store_name,store_town,sku,product_name,category,subcategory,brand,"
            + "quantity,unit_price,discount,line_total,payment_method,channel,customer_id,customer_name,return_of", SalesCsv.Header);

    [Fact]
    public void Receipt_ids_encode_date_store_and_sequence() =>
        Assert.Equal(2026030201000001, SalesCsv.ReceiptId(new DateOnly(2026, 3, 2), 1, 1));
}
