using System.Text.Json;
using Retail.Core.Reference;

namespace Retail.Core.Formats;

/// <summary>The raw staging format: one row per product line on a receipt, RFC 4180, UTF-8, header row.</summary>
public static class SalesCsv
{
    /// <summary>The header names, in file order: each <see cref="SalesColumn"/> in snake_case.</summary>
    public static readonly string[] Columns =
        Enum.GetValues<SalesColumn>().Select(c => JsonNamingPolicy.SnakeCaseLower.ConvertName(c.ToString())).ToArray();

    public static string Header => string.Join(',', Columns);

    /// <summary>The reference seed's payment methods and channels in key order (the generator draws an index into these).</summary>
    public static readonly string[] PaymentMethods = ReferenceSeed.Chain.PaymentMethods.OrderBy(p => p.Key).Select(p => p.Name).ToArray();

    public static readonly string[] Channels = ReferenceSeed.Chain.Channels.OrderBy(c => c.Key).Select(c => c.Name).ToArray();

    /// <summary>File name of one sale date's staging file.</summary>
    public static string FileName(DateOnly date, bool gzip) => $"sales_{date:yyyy-MM-dd}.csv{(gzip ? ".gz" : "")}";

    /// <summary>Receipt ids encode date, store and sequence, so they are unique across the chain and sortable.</summary>
    public static long ReceiptId(DateOnly date, short storeKey, int sequence) =>
        (((date.Year * 10_000L) + (date.Month * 100L) + date.Day) * 100_000_000L) + (storeKey * 1_000_000L) + sequence;

    public const int MaxReceiptsPerStoreDay = 999_999;
}

/// <summary>The staging columns in file order: the one definition of the format's columns (writer, reader, faults).</summary>
public enum SalesColumn
{
    TransactionId, LineNo, SoldAt, StoreCode, StoreName, StoreTown,
    Sku, ProductName, Category, Subcategory, Brand,
    Quantity, UnitPrice, Discount, LineTotal,
    PaymentMethod, Channel, CustomerId, CustomerName, ReturnOf,
}
