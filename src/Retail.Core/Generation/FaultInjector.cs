using Retail.Core.Formats;

namespace Retail.Core.Generation;

/// <summary>
/// The --dirty path: one sale line's fields, broken in one realistic way before they are encoded (no re-parsing of
/// written output). A duplicate line is the caller's business: it repeats the last valid line's bytes.
/// </summary>
internal static class FaultInjector
{
    public static byte[] Encode(FaultKind kind, List<string> fields, DateOnly date, int quantity)
    {
        switch (kind)
        {
            case FaultKind.MissingField: fields[(int)SalesColumn.Sku] = ""; break;
            case FaultKind.BadNumber: fields[(int)SalesColumn.Quantity] = quantity == 1 ? "one" : "2x"; break;
            case FaultKind.BadDate: fields[(int)SalesColumn.SoldAt] = $"{date:dd/MM/yyyy} 25:61"; break;
            case FaultKind.UnknownStore: fields[(int)SalesColumn.StoreCode] = "ZZZ"; break;
            case FaultKind.NegativePrice:
                fields[(int)SalesColumn.UnitPrice] = "-" + fields[(int)SalesColumn.UnitPrice].TrimStart('-');
                break;
            case FaultKind.WrongColumnCount: fields.RemoveAt(fields.Count - 1); break;
            case FaultKind.EncodingError: break;
            default: throw new InvalidOperationException($"unexpected fault {kind}");
        }
        var bytes = new List<byte>(256);
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
}
