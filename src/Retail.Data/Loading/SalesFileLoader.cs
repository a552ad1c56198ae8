using nietras.SeparatedValues;
using Npgsql;
using NpgsqlTypes;
using Retail.Core.Formats;

namespace Retail.Data.Loading;

/// <summary>
/// Loads one staging file as one batch in one transaction: either all of its good rows land with its batch
/// record, rollups and quarantined rows, or none of it does. Facts go in by binary COPY.
/// </summary>
internal sealed class SalesFileLoader(NpgsqlDataSource db, DimensionCache dims, PartitionManager partitions, ControlTotals controlTotals, LoadOptions options, TimeProvider clock, LoadTimings timings)
{
    private const string FactCopy = """
        COPY marts.fct_sales (sale_date, transaction_id, line_no, sold_at, store_key, product_key, customer_key, payment_key,
                              channel_key, quantity, unit_price_pence, discount_pence, line_total_pence, return_of_transaction, batch_id)
        FROM STDIN (FORMAT BINARY)
        """;

    /// <summary>Beyond this many rows a file's in-memory duplicate check stops growing; the primary key still catches the rest.</summary>
    private const int InFileDuplicateCap = 2_000_000;

    private readonly KeyReserver _productKeys = new(db, "marts.dim_product_key_seq");
    private readonly KeyReserver _customerKeys = new(db, "marts.dim_customer_key_seq");

    public async Task<FileLoadResult> LoadAsync(string path, FileIdentity file, CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        var checkWarehouseDuplicates = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttemptAsync(path, file, started, checkWarehouseDuplicates, ct);
            }
            catch (MissingPartitionException) when (attempt < 3)
            {
                // The dimension preload creates every month the files touch; this is the fallback if it could not.
                await partitions.EnsureAsync(FileDates(path), ct);
            }
            catch (FactKeyConflictException) when (!checkWarehouseDuplicates)
            {
                // Some line is already in the warehouse (or twice in a huge file): redo the file checking every key.
                checkWarehouseDuplicates = true;
            }
            catch (FileFailedException e)
            {
                return await FailAsync(path, file, started, e.Message, e.RowsRead, e.Rejected, ct);
            }
            catch (Exception e) when (FileProblem(path, e) is { } reason)
            {
                // Nothing of the file was written: its transaction rolled back with the exception.
                return await FailAsync(path, file, started, reason, 0, [], ct);
            }
        }
    }

    /// <summary>The reason a file is refused as a whole, for the failures that belong to the file and not to the database.</summary>
    internal static string? FileProblem(string path, Exception e) => e switch
    {
        InvalidDataException or IOException or UnauthorizedAccessException => e.Message.Contains(Path.GetFileName(path), StringComparison.Ordinal)
            ? e.Message : $"{Path.GetFileName(path)}: {e.Message}",
        NotSupportedException ns => StagingCsv.TooLong(path, ns).Message,
        // Class 22 (data exception): a value the server refused although it passed validation.
        PostgresException pe when pe.SqlState.StartsWith("22", StringComparison.Ordinal) => $"{Path.GetFileName(path)}: PostgreSQL refused a value ({pe.SqlState}: {pe.MessageText}); nothing from the file was loaded.",
        _ => null,
    };

    private async Task<FileLoadResult> FailAsync(string path, FileIdentity file, DateTimeOffset started, string reason, long read, IReadOnlyCollection<RejectedRow> rejected, CancellationToken ct)
    {
        var id = await BatchLedger.RecordFailureAsync(db, file, read, rejected, started, clock.GetUtcNow(), reason, ct);
        return new FileLoadResult(path, FileOutcome.Failed, id, read, 0, rejected.Count, reason);
    }

    private async Task<FileLoadResult> AttemptAsync(string path, FileIdentity file, DateTimeOffset started, bool checkWarehouseDuplicates, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // A crash loses at most this uncommitted batch as a whole; the loader ends with a durable commit barrier.
        await conn.ExecAsync("SET LOCAL synchronous_commit = off", ct);

        if (await BatchLedger.LockAndFindAsync(conn, file, anyContent: options.Force, ct) is { } prior)
        {
            if (!options.Force)
            {
                return new FileLoadResult(path, FileOutcome.Skipped, prior, 0, 0, 0, null);
            }
            await BatchLedger.ReplaceAsync(conn, prior, ct);
        }
        var batchId = await BatchLedger.StartAsync(conn, file, started, options.Publish, ct);

        HashSet<(long, short)>? existing = null;
        if (checkWarehouseDuplicates)
        {
            existing = await ExistingKeysAsync(conn, path, ct);
        }

        ParseResult parse;
        try
        {
            using var _ = timings.Measure(LoadPhase.ParseValidateCopy);
            parse = await Task.Run(() => CopyFacts(conn, path, batchId, existing, ct), ct);
        }
        catch (PostgresException e) when (!checkWarehouseDuplicates && FactKeyConflictException.Matches(e))
        {
            throw new FactKeyConflictException(e);
        }

        // New dimension members are committed on their own (harmless if this batch later fails), so no
        // long-held dimension locks and no deadlocks between parallel loaders.
        var members = timings.Measure(LoadPhase.NewMembers);
        var productRemap = await DimensionWriter.UpsertProductsAsync(db, parse.NewProducts, ct);
        var customerRemap = await DimensionWriter.UpsertCustomersAsync(db, parse.NewCustomers, ct);
        if (productRemap.Count > 0 || customerRemap.Count > 0)
        {
            await RemapFactsAsync(conn, batchId, parse, productRemap, customerRemap, ct);
            parse.Rollups.Remap(productRemap, customerRemap);
        }
        members.Dispose();

        var read = parse.Loaded + parse.Rejected.Count;
        if (read > 0 && parse.Rejected.Count > options.MaxRejectRate * read)
        {
            var reasons = parse.Rejected.GroupBy(r => r.Why.CodeText).OrderByDescending(g => g.Count()).Take(3).Select(g => $"{g.Count()}× {g.Key}");
            throw new FileFailedException(
                $"{parse.Rejected.Count} of {read} rows rejected ({100.0 * parse.Rejected.Count / read:F2}%), more than --max-reject-rate {options.MaxRejectRate:P2} allows ({string.Join("; ", reasons)}); nothing from this file was loaded, its rejected rows are in ops.rejected_rows. Fix the file or raise --max-reject-rate.",
                read, parse.Rejected);
        }

        var commit = timings.Measure(LoadPhase.Commit);
        await BatchLedger.WriteRejectedAsync(conn, batchId, parse.Rejected, ct);
        if (controlTotals.For(path, file) is { } totals)
        {
            await BatchLedger.WriteControlTotalsAsync(conn, batchId, totals, ct);
        }
        commit.Dispose();
        using (timings.Measure(LoadPhase.Rollups))
        {
            await Task.Run(() => parse.Rollups.Write(conn, batchId), ct);
        }
        using (timings.Measure(LoadPhase.Commit))
        {
            await BatchLedger.FinishAsync(conn, batchId, read, parse.Loaded, parse.Rejected.Count, clock.GetUtcNow(), parse.MinDate, parse.MaxDate, ct);
            await tx.CommitAsync(ct);
        }
        dims.Remember(parse.NewProducts.Select(p => productRemap.TryGetValue(p.Key, out var k) ? p with { Key = k } : p),
            parse.NewCustomers.Select(c => customerRemap.TryGetValue(c.Key, out var k) ? c with { Key = k } : c));
        return new FileLoadResult(path, FileOutcome.Loaded, batchId, read, parse.Loaded, parse.Rejected.Count, null, parse.MinDate, parse.MaxDate);
    }

    private sealed class ParseResult
    {
        public long Loaded;
        public readonly List<RejectedRow> Rejected = [];
        public readonly List<NewProduct> NewProducts = [];
        public readonly List<NewCustomer> NewCustomers = [];
        public readonly RollupAccumulator Rollups = new();
        public DateOnly? MinDate;
        public DateOnly? MaxDate;
    }

    /// <summary>
    /// The hot loop: parse, validate and COPY every row. Synchronous on purpose: the binary COPY writer's writes only
    /// fill a buffer, and an async state machine per value would cost more than the work itself.
    /// </summary>
    private ParseResult CopyFacts(NpgsqlConnection conn, string path, int batchId, HashSet<(long, short)>? existing, CancellationToken ct)
    {
        var result = new ParseResult();
        var seen = new HashSet<(long, short)>();
        var validator = new SaleRowValidator(dims, _productKeys, _customerKeys);

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
                var reason = validator.Validate(r, ref row);
                if (reason is null)
                {
                    var key = (row.TransactionId, row.LineNo);
                    if ((seen.Count < InFileDuplicateCap || existing is not null) && !seen.Add(key))
                    {
                        reason = new Rejection(RejectReason.Duplicate, $"duplicate: transaction {row.TransactionId} line {row.LineNo} appears earlier in this file");
                    }
                    else if (existing is not null && existing.Contains(key))
                    {
                        reason = new Rejection(RejectReason.Duplicate, $"duplicate: transaction {row.TransactionId} line {row.LineNo} is already in the warehouse");
                    }
                }
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
                    throw new MissingPartitionException();
                }
                WriteFact(copy, row, batchId);
                result.Loaded++;
                result.Rollups.Add(row);
                if (result.MinDate is null || row.SaleDate < result.MinDate)
                {
                    result.MinDate = row.SaleDate;
                }
                if (result.MaxDate is null || row.SaleDate > result.MaxDate)
                {
                    result.MaxDate = row.SaleDate;
                }
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

    /// <summary>One fact row, in FactCopy's column order and types.</summary>
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

    /// <summary>The slow path after a duplicate-key error: every (transaction, line) already stored for the file's dates.</summary>
    private static async Task<HashSet<(long, short)>> ExistingKeysAsync(NpgsqlConnection conn, string path, CancellationToken ct)
    {
        var dates = FileDates(path);
        var keys = new HashSet<(long, short)>();
        await using var cmd = new NpgsqlCommand("SELECT transaction_id, line_no FROM marts.fct_sales WHERE sale_date = ANY($1)", conn)
        {
            Parameters = { new() { Value = dates.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date } },
        };
        await using var r2 = await cmd.ExecuteReaderAsync(ct);
        while (await r2.ReadAsync(ct))
        {
            keys.Add((r2.GetInt64(0), r2.GetInt16(1)));
        }
        return keys;
    }

    /// <summary>The sale dates a file holds (a quick scan of one column).</summary>
    private static HashSet<DateOnly> FileDates(string path)
    {
        var dates = new HashSet<DateOnly>();
        using var text = StagingFile.OpenText(path);
        using var reader = StagingCsv.Open(path, text);
        foreach (var r in reader)
        {
            if (r.ColCount > Col.SoldAt && FieldParser.Timestamp(r[Col.SoldAt].Span, out var d, out _, out _))
            {
                dates.Add(d);
            }
        }
        return dates;
    }

    /// <summary>Points this batch's facts at the keys that won an upsert race: one set-based UPDATE per dimension.</summary>
    private static async Task RemapFactsAsync(NpgsqlConnection conn, int batchId, ParseResult parse, Dictionary<int, int> products, Dictionary<int, int> customers, CancellationToken ct)
    {
        foreach (var (column, map) in new[] { ("product_key", products), ("customer_key", customers) })
        {
            if (map.Count == 0)
            {
                continue;
            }
            await using var cmd = new NpgsqlCommand($"""
                UPDATE marts.fct_sales f SET {column} = m.stored
                FROM unnest($1::int[], $2::int[]) AS m(mine, stored)
                WHERE f.sale_date BETWEEN $3 AND $4 AND f.batch_id = $5 AND f.{column} = m.mine
                """, conn);
            cmd.Parameters.Add(new NpgsqlParameter { Value = map.Keys.ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = map.Values.ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter { Value = parse.MinDate!.Value, NpgsqlDbType = NpgsqlDbType.Date });
            cmd.Parameters.Add(new NpgsqlParameter { Value = parse.MaxDate!.Value, NpgsqlDbType = NpgsqlDbType.Date });
            cmd.Parameters.Add(new NpgsqlParameter { Value = batchId });
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

}

/// <summary>
/// The fact COPY failed in a way a duplicate key causes: 23505 on one node; through Citus, XX000 with no table
/// or constraint name (the shard's error is re-raised as internal). Matched by SqlState only, during the fact
/// COPY only; the file is then redone once on the path that checks every key against the warehouse, where a
/// second failure is a real one.
/// </summary>
internal sealed class FactKeyConflictException(PostgresException inner) : Exception("duplicate key in the fact COPY", inner)
{
    public static bool Matches(PostgresException e) => e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.InternalError;
}

/// <summary>A row needs a monthly partition that does not exist yet.</summary>
internal sealed class MissingPartitionException() : Exception("partition missing");

/// <summary>The file as a whole is refused (e.g. too many rejected rows); recorded as a failed batch.</summary>
internal sealed class FileFailedException(string message, long rowsRead, IReadOnlyCollection<RejectedRow> rejected) : Exception(message)
{
    public long RowsRead { get; } = rowsRead;
    public IReadOnlyCollection<RejectedRow> Rejected { get; } = rejected;
}
