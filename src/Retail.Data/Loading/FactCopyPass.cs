using Npgsql;

namespace Retail.Data.Loading;

/// <summary>What one pass over a file produced: its loaded and rejected rows, new members, rollups and date range.</summary>
internal sealed class CopyResult
{
    public long Loaded;
    public readonly List<RejectedRow> Rejected = [];
    public readonly List<NewProduct> NewProducts = [];
    public readonly List<NewCustomer> NewCustomers = [];
    public readonly RollupAccumulator Rollups = new();
    public readonly FirstPurchaseAccumulator FirstPurchases = new();
    public DateOnly? MinDate;
    public DateOnly? MaxDate;

    /// <summary>Set when a row's month has no partition: the pass stopped there and its COPY was abandoned.</summary>
    public DateOnly? MissingPartition;

    public long Read => Loaded + Rejected.Count;
}

/// <summary>
/// The hot loop of a file's load: parse, validate and binary-COPY every row into marts.fct_sales on the file's
/// connection. Synchronous on purpose: the COPY writer's writes only fill a buffer, and an async state machine per
/// value would cost more than the work itself.
/// </summary>
internal sealed class FactCopyPass(IDimensionLookup dims, PartitionManager partitions, IKeySource productKeys, IKeySource customerKeys)
{
    private static readonly string FactCopy = Warehouse.WarehouseSchema.Resource("loading/fact_copy.sql");

    /// <summary>Beyond this many rows a file's in-memory duplicate check stops growing; the primary key still catches the rest.</summary>
    private const int InFileDuplicateCap = 2_000_000;

    /// <param name="existing">Keys already in the warehouse for the file's dates (the slow path after a key conflict), or null.</param>
    /// <param name="expectedRows">The file's rows as the dimension pass counted them (0 when unknown): sizes the duplicate check.</param>
    public CopyResult Run(NpgsqlConnection conn, string path, int batchId, FactKeySet? existing, long expectedRows, CancellationToken ct)
    {
        var result = new CopyResult();
        // Sized for the ~2 lines a receipt of the generated chain has; a file of one-line receipts grows it once.
        var seen = new ReceiptKeySet(Math.Min(expectedRows, InFileDuplicateCap) / 2);
        var validator = new SaleRowValidator(dims, productKeys, customerKeys);

        using var text = StagingFile.OpenText(path);
        using var reader = StagingCsv.Open(path, text);
        using var copy = new BinaryCopyWriter(conn, FactCopy);
        var row = new SaleRow();
        try
        {
            foreach (var r in reader)
            {
                var line = (long)r.LineNumberFrom;
                if ((line & 0x3FFF) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                }
                var lines = StagingCsv.Lines(r);
                if (lines > StagingCsv.MaxLinesPerRecord)
                {
                    throw StagingCsv.UnterminatedQuote(path, r);
                }
                var reason = validator.Validate(r, ref row) ?? Duplicate(row, seen, existing);
                if (reason is not null)
                {
                    // A rejected record must be one line, or "read = loaded + rejected" would hide the lines it swallowed.
                    if (lines > 1)
                    {
                        throw StagingCsv.UnterminatedQuote(path, r);
                    }
                    result.Rejected.Add(new RejectedRow(line, r.Span.ToString(), reason.Value));
                    continue;
                }
                if (!partitions.Has(row.SaleDate))
                {
                    // Disposing the writer unfinished cancels the COPY; the caller creates the month and redoes the file.
                    result.MissingPartition = row.SaleDate;
                    return result;
                }
                WriteFact(copy, row, batchId);
                result.Loaded++;
                result.Rollups.Add(row);
                result.FirstPurchases.Add(row);
                result.MinDate = result.MinDate is { } min && min <= row.SaleDate ? min : row.SaleDate;
                result.MaxDate = result.MaxDate is { } max && max >= row.SaleDate ? max : row.SaleDate;
            }
        }
        catch (NotSupportedException e)
        {
            throw StagingCsv.TooLong(path, e);
        }
        copy.Complete();
        result.NewProducts.AddRange(validator.NewProducts.Values);
        result.NewCustomers.AddRange(validator.NewCustomers.Values);
        return result;
    }

    private static Rejection? Duplicate(in SaleRow row, ReceiptKeySet seen, FactKeySet? existing)
    {
        if ((seen.Count < InFileDuplicateCap || existing is not null) && !seen.Add(row.TransactionId, row.LineNo))
        {
            return new Rejection(RejectReason.Duplicate,
                $"duplicate: transaction {row.TransactionId} line {row.LineNo} appears earlier in this file");
        }
        if (existing is not null && existing.Contains(row.TransactionId, row.LineNo))
        {
            return new Rejection(RejectReason.Duplicate,
                $"duplicate: transaction {row.TransactionId} line {row.LineNo} is already in the warehouse");
        }
        return null;
    }

    /// <summary>One fact row, in fact_copy.sql's column order and types.</summary>
    private static void WriteFact(BinaryCopyWriter copy, in SaleRow row, int batchId)
    {
        copy.StartRow(15, 15 * 4 + 72);
        copy.Date(row.SaleDate);
        copy.Int64(row.TransactionId);
        copy.Int16(row.LineNo);
        copy.TimestampUtc(row.SoldAtUtc);
        copy.Int16(row.StoreKey);
        copy.Int32(row.ProductKey);
        copy.Int32(row.CustomerKey);
        copy.Int16(row.PaymentKey);
        copy.Int16(row.ChannelKey);
        copy.Int32(row.Quantity);
        copy.Int32(row.UnitPricePence);
        copy.Int32(row.DiscountPence);
        copy.Int64(row.LineTotalPence);
        if (row.ReturnOf != 0)
        {
            copy.Int64(row.ReturnOf);
        }
        else
        {
            copy.Null();
        }
        copy.Int32(batchId);
    }
}
