using System.Text.Json;

namespace Retail.Data.Loading;

/// <summary>Why a row was quarantined, as a code to group and count by; the message beside it says it in words.</summary>
public enum RejectReason
{
    ColumnCount,
    Encoding,
    TransactionId,
    LineNo,
    SoldAt,
    StoreCode,
    Sku,
    ProductName,
    Category,
    Quantity,
    UnitPrice,
    Discount,
    LineTotal,
    PaymentMethod,
    Channel,
    ReturnOf,
    Duplicate,
}

/// <summary>A rejected row's code and its human message (what is wrong, what was expected).</summary>
public readonly record struct Rejection(RejectReason Code, string Message)
{
    /// <summary>The code as stored in ops.rejected_rows.reason_code and shown in summaries: "store_code".</summary>
    public string CodeText => CodeTexts[(int)Code];

    private static readonly string[] CodeTexts =
        Enum.GetValues<RejectReason>().Select(c => JsonNamingPolicy.SnakeCaseLower.ConvertName(c.ToString())).ToArray();
}
