using System.IO.Compression;
using System.Security.Cryptography;
using nietras.SeparatedValues;
using Npgsql;
using NpgsqlTypes;
using Retail.Core.Formats;

namespace Retail.Data.Loading;

/// <summary>
/// Loads one staging file as one batch in one transaction: either all of its good rows land with its batch
/// record, rollups and quarantined rows, or none of it does. Facts go in by binary COPY.
/// </summary>
internal sealed class SalesFileLoader(NpgsqlDataSource db, DimensionCache dims, PartitionManager partitions, LoadOptions options, TimeProvider clock)
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

    public async Task<FileLoadResult> LoadAsync(string path, string sha, CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        var checkWarehouseDuplicates = false;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AttemptAsync(path, sha, started, checkWarehouseDuplicates, ct);
            }
            catch (MissingPartitionException) when (attempt < 3)
            {
                // Rare (the first file of a month): create every month the file spans, then start over.
                await partitions.EnsureAsync(FileDates(path), ct);
            }
            catch (FactKeyConflictException) when (!checkWarehouseDuplicates)
            {
                // Some line is already in the warehouse (or twice in a huge file): redo the file checking every key.
                checkWarehouseDuplicates = true;
            }
            catch (FileFailedException e)
            {
                return await RecordFailureAsync(path, sha, started, e, ct);
            }
        }
    }

    private async Task<FileLoadResult> AttemptAsync(string path, string sha, DateTimeOffset started, bool checkWarehouseDuplicates, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // A crash loses at most this uncommitted batch as a whole; the loader ends with a durable commit barrier.
        await conn.ExecAsync("SET LOCAL synchronous_commit = off", ct);
        await conn.ExecAsync($"SELECT pg_advisory_xact_lock({LockKey(sha)})", ct);

        int? previous = null;
        await using (var cmd = new NpgsqlCommand("SELECT batch_id FROM ops.load_batches WHERE file_sha256 = $1 AND status = 'loaded'", conn) { Parameters = { new() { Value = sha } } })
        {
            previous = (int?)await cmd.ExecuteScalarAsync(ct);
        }
        if (previous is { } prior)
        {
            if (!options.Force)
            {
                return new FileLoadResult(path, FileOutcome.Skipped, prior, 0, 0, 0, null);
            }
            await ReplaceBatchAsync(conn, prior, ct);
        }

        int batchId;
        await using (var cmd = new NpgsqlCommand("INSERT INTO ops.load_batches (file_name, file_sha256, started_at, status, published) VALUES ($1, $2, $3, 'loaded', $4) RETURNING batch_id", conn)
        {
            Parameters = { new() { Value = Path.GetFileName(path) }, new() { Value = sha }, new() { Value = started }, new() { Value = options.Publish } },
        })
        {
            batchId = (int)(await cmd.ExecuteScalarAsync(ct))!;
        }

        HashSet<(long, short)>? existing = null;
        if (checkWarehouseDuplicates)
        {
            existing = await ExistingKeysAsync(conn, path, ct);
        }

        ParseResult parse;
        try
        {
            parse = await Task.Run(() => CopyFacts(conn, path, batchId, existing, ct), ct);
        }
        catch (PostgresException e) when (!checkWarehouseDuplicates && FactKeyConflictException.Matches(e))
        {
            throw new FactKeyConflictException(e);
        }

        // New dimension members are committed on their own (harmless if this batch later fails), so no
        // long-held dimension locks and no deadlocks between parallel loaders.
        var productRemap = await DimensionWriter.UpsertProductsAsync(db, parse.NewProducts, ct);
        var customerRemap = await DimensionWriter.UpsertCustomersAsync(db, parse.NewCustomers, ct);
        if (productRemap.Count > 0 || customerRemap.Count > 0)
        {
            await RemapFactsAsync(conn, batchId, parse, productRemap, customerRemap, ct);
            parse.Rollups.Remap(productRemap, customerRemap);
        }

        var read = parse.Loaded + parse.Rejected.Count;
        if (read > 0 && parse.Rejected.Count > options.MaxRejectRate * read)
        {
            var reasons = parse.Rejected.GroupBy(r => r.Reason.Split(':')[0]).OrderByDescending(g => g.Count()).Take(3).Select(g => $"{g.Count()}× {g.Key}");
            throw new FileFailedException(
                $"{parse.Rejected.Count} of {read} rows rejected ({100.0 * parse.Rejected.Count / read:F2}%), more than --max-reject-rate {options.MaxRejectRate:P2} allows ({string.Join("; ", reasons)}); nothing from this file was loaded. Fix the file or raise --max-reject-rate.",
                read, parse.Rejected.Count);
        }

        await WriteRejectedAsync(conn, batchId, parse.Rejected, ct);
        await Task.Run(() => parse.Rollups.Write(conn, batchId), ct);
        await using (var cmd = new NpgsqlCommand("""
            UPDATE ops.load_batches SET rows_read = $2, rows_loaded = $3, rows_rejected = $4, finished_at = $5, min_sale_date = $6, max_sale_date = $7
            WHERE batch_id = $1
            """, conn)
        {
            Parameters =
            {
                new() { Value = batchId }, new() { Value = read }, new() { Value = parse.Loaded }, new() { Value = (long)parse.Rejected.Count },
                new() { Value = clock.GetUtcNow() }, new() { Value = (object?)parse.MinDate ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date },
                new() { Value = (object?)parse.MaxDate ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date },
            },
        })
        {
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        dims.Remember(parse.NewProducts.Select(p => productRemap.TryGetValue(p.Key, out var k) ? p with { Key = k } : p),
            parse.NewCustomers.Select(c => customerRemap.TryGetValue(c.Key, out var k) ? c with { Key = k } : c));
        return new FileLoadResult(path, FileOutcome.Loaded, batchId, read, parse.Loaded, parse.Rejected.Count, null, parse.MinDate, parse.MaxDate);
    }

    private sealed class ParseResult
    {
        public long Loaded;
        public readonly List<(long Line, string Raw, string Reason)> Rejected = [];
        public readonly List<NewProduct> NewProducts = [];
        public readonly List<NewCustomer> NewCustomers = [];
        public readonly RollupAccumulator Rollups = new();
        public DateOnly? MinDate;
        public DateOnly? MaxDate;
    }

    /// <summary>
    /// The hot loop: parse, validate and COPY every row. Synchronous on purpose: NpgsqlBinaryImporter's sync
    /// writes only fill a buffer, and an async state machine per value would cost more than the work itself.
    /// </summary>
    private ParseResult CopyFacts(NpgsqlConnection conn, string path, int batchId, HashSet<(long, short)>? existing, CancellationToken ct)
    {
        var result = new ParseResult();
        var seen = new HashSet<(long, short)>();
        var newProducts = new Dictionary<string, NewProduct>();
        var newCustomers = new Dictionary<string, NewCustomer>();
        var name = Path.GetFileName(path);

        using var stream = OpenText(path);
        if (stream.Length == 0)
        {
            return result;
        }
        using var reader = Sep.Reader(o => o with { Unescape = true, DisableColCountCheck = true, HasHeader = true }).From(stream);
        CheckHeader(name, reader.Header.ColNames);

        using var copy = new BinaryCopyWriter(conn, FactCopy);
        var row = new SaleRow();
        foreach (var r in reader)
        {
            var line = (long)r.LineNumberFrom;
            if ((line & 0x3FFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }
            var reason = Validate(r, ref row, newProducts, newCustomers);
            if (reason is null)
            {
                var key = (row.TransactionId, row.LineNo);
                if ((seen.Count < InFileDuplicateCap || existing is not null) && !seen.Add(key))
                {
                    reason = $"duplicate: transaction {row.TransactionId} line {row.LineNo} appears earlier in this file";
                }
                else if (existing is not null && existing.Contains(key))
                {
                    reason = $"duplicate: transaction {row.TransactionId} line {row.LineNo} is already in the warehouse";
                }
            }
            if (reason is not null)
            {
                result.Rejected.Add((line, r.Span.ToString(), reason));
                continue;
            }
            if (!partitions.Has(row.SaleDate))
            {
                throw new MissingPartitionException();
            }

            // Column order and types as in FactCopy.
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
        copy.Complete();
        result.NewProducts.AddRange(newProducts.Values);
        result.NewCustomers.AddRange(newCustomers.Values);
        return result;
    }

    /// <summary>Checks one row; fills <paramref name="row"/> and returns null when valid, else the reason.</summary>
    private string? Validate(SepReader.Row r, ref SaleRow row, Dictionary<string, NewProduct> newProducts, Dictionary<string, NewCustomer> newCustomers)
    {
        if (r.ColCount != Col.Count)
        {
            return $"column count: expected {Col.Count} columns, found {r.ColCount}";
        }
        if (r.Span.Contains('\uFFFD'))
        {
            return "encoding: the line is not valid UTF-8";
        }
        if (!FieldParser.Long(r[Col.TransactionId].Span, out row.TransactionId) || row.TransactionId <= 0)
        {
            return Bad("transaction_id", r[Col.TransactionId].Span, "a positive whole number");
        }
        if (!FieldParser.Long(r[Col.LineNo].Span, out var lineNo) || lineNo is < 1 or > 999)
        {
            return Bad("line_no", r[Col.LineNo].Span, "a whole number from 1 to 999");
        }
        row.LineNo = (short)lineNo;
        if (!FieldParser.Timestamp(r[Col.SoldAt].Span, out row.SaleDate, out row.LocalHour, out row.SoldAtUtc))
        {
            return Bad("sold_at", r[Col.SoldAt].Span, "an ISO-8601 timestamp with offset, e.g. 2025-03-01T10:15:00+00:00");
        }
        if (row.SaleDate < Warehouse.WarehouseSchema.CalendarStart || row.SaleDate > Warehouse.WarehouseSchema.CalendarEnd)
        {
            return $"sold_at: {row.SaleDate:yyyy-MM-dd} is outside the warehouse calendar ({Warehouse.WarehouseSchema.CalendarStart:yyyy} to {Warehouse.WarehouseSchema.CalendarEnd:yyyy})";
        }
        var storeCode = r[Col.StoreCode].Span;
        if (storeCode.IsEmpty)
        {
            return "missing store_code";
        }
        if (!dims.Store(storeCode, out row.StoreKey))
        {
            return $"unknown store_code '{storeCode}'";
        }
        var sku = r[Col.Sku].Span;
        if (sku.IsEmpty)
        {
            return "missing sku";
        }
        if (!dims.Category(r[Col.Category].Span, out row.CategoryKey))
        {
            return $"category: '{r[Col.Category].Span}' is not an accepted category";
        }
        if (!FieldParser.Long(r[Col.Quantity].Span, out var quantity) || quantity == 0 || quantity is < -1000 or > 1000)
        {
            return Bad("quantity", r[Col.Quantity].Span, "a non-zero whole number from -1000 to 1000");
        }
        row.Quantity = (int)quantity;
        if (!FieldParser.Money(r[Col.UnitPrice].Span, out var price))
        {
            return Bad("unit_price", r[Col.UnitPrice].Span, "an amount in pounds such as 12.99");
        }
        if (price < 0 || price > 10_000_000)
        {
            return $"unit_price: {r[Col.UnitPrice].Span} is negative or implausibly large";
        }
        if (!FieldParser.Money(r[Col.Discount].Span, out var discount) || discount < 0)
        {
            return Bad("discount", r[Col.Discount].Span, "a non-negative amount in pounds");
        }
        if (!FieldParser.Money(r[Col.LineTotal].Span, out var total))
        {
            return Bad("line_total", r[Col.LineTotal].Span, "an amount in pounds");
        }
        var expected = (quantity * price) - discount;
        if (total != expected)
        {
            return $"line_total: {r[Col.LineTotal].Span} is not quantity × unit_price − discount ({expected / 100m:0.00})";
        }
        if (discount > Math.Abs(quantity * price))
        {
            return $"discount: {r[Col.Discount].Span} exceeds the line's value";
        }
        row.UnitPricePence = (int)price;
        row.DiscountPence = (int)discount;
        row.LineTotalPence = total;
        if (!dims.Payment(r[Col.Payment].Span, out row.PaymentKey))
        {
            return $"payment_method: '{r[Col.Payment].Span}' is not one of {string.Join(", ", SalesCsv.PaymentMethods)}";
        }
        if (!dims.Channel(r[Col.Channel].Span, out row.ChannelKey))
        {
            return $"channel: '{r[Col.Channel].Span}' is not one of {string.Join(", ", SalesCsv.Channels)}";
        }
        var returnOf = r[Col.ReturnOf].Span;
        row.ReturnOf = 0;
        if (!returnOf.IsEmpty && (!FieldParser.Long(returnOf, out row.ReturnOf) || row.ReturnOf <= 0))
        {
            return Bad("return_of", returnOf, "empty or a transaction id");
        }
        if (quantity < 0 && row.ReturnOf == 0)
        {
            return "return_of: a negative quantity (a return) must name the original transaction";
        }

        // Members the preload missed (it is only a quick scan) are created here, after every other check.
        if (dims.Product(sku, out var product))
        {
            row.ProductKey = product.Key;
            row.CategoryKey = product.Category;
        }
        else
        {
            var skuText = sku.ToString();
            if (!newProducts.TryGetValue(skuText, out var np))
            {
                var productName = r[Col.ProductName].ToString();
                if (productName.Length == 0)
                {
                    return "missing product_name for a new sku";
                }
                np = new NewProduct(_productKeys.Next(), skuText, productName, row.CategoryKey, r[Col.Subcategory].ToString(), r[Col.Brand].ToString());
                newProducts[skuText] = np;
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
            if (!newCustomers.TryGetValue(idText, out var nc))
            {
                nc = new NewCustomer(_customerKeys.Next(), idText, r[Col.CustomerName].ToString());
                newCustomers[idText] = nc;
            }
            row.CustomerKey = nc.Key;
        }
        return null;
    }

    private static string Bad(string column, ReadOnlySpan<char> value, string wanted) =>
        value.IsEmpty ? $"missing {column}" : $"{column}: '{value}' is not {wanted}";

    private static void CheckHeader(string file, IReadOnlyList<string> header)
    {
        if (!header.SequenceEqual(SalesCsv.Columns))
        {
            throw new InvalidDataException($"{file} is not a retail sales CSV: expected the header '{SalesCsv.Header}' but found '{string.Join(',', header)}'. Generate files with 'retail generate' or fix the header.");
        }
    }

    internal static Stream OpenText(string path)
    {
        Stream s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new LengthKnownGzip(s) : s;
    }

    /// <summary>GZipStream reports no Length; this one answers "non-empty" from the compressed file.</summary>
    private sealed class LengthKnownGzip : GZipStream
    {
        private readonly long _compressedLength;

        public LengthKnownGzip(Stream compressed) : base(compressed, CompressionMode.Decompress) => _compressedLength = compressed.Length;

        public override long Length => _compressedLength;
    }

    internal static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var s = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(s, ct));
    }

    private static long LockKey(string sha) => Convert.ToInt64(sha[..15], 16);


    /// <summary>--force: the old batch's facts and rollups go, in the same transaction as the new ones arrive.</summary>
    private static async Task ReplaceBatchAsync(NpgsqlConnection conn, int batchId, CancellationToken ct)
    {
        await conn.ExecAsync($"""
            DELETE FROM marts.fct_sales f USING ops.load_batches b
             WHERE b.batch_id = {batchId} AND f.sale_date BETWEEN b.min_sale_date AND b.max_sale_date AND f.batch_id = {batchId};
            DELETE FROM marts.agg_sales_hourly a USING ops.load_batches b WHERE b.batch_id = {batchId} AND a.sale_date BETWEEN b.min_sale_date AND b.max_sale_date AND a.batch_id = {batchId};
            DELETE FROM marts.agg_product_daily a USING ops.load_batches b WHERE b.batch_id = {batchId} AND a.sale_date BETWEEN b.min_sale_date AND b.max_sale_date AND a.batch_id = {batchId};
            DELETE FROM marts.agg_receipts_daily a USING ops.load_batches b WHERE b.batch_id = {batchId} AND a.sale_date BETWEEN b.min_sale_date AND b.max_sale_date AND a.batch_id = {batchId};
            DELETE FROM marts.agg_customers_daily a USING ops.load_batches b WHERE b.batch_id = {batchId} AND a.sale_date BETWEEN b.min_sale_date AND b.max_sale_date AND a.batch_id = {batchId};
            UPDATE ops.load_batches SET status = 'replaced' WHERE batch_id = {batchId};
            """, ct);
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
        using var stream = OpenText(path);
        if (stream.Length > 0)
        {
            using var reader = Sep.Reader(o => o with { DisableColCountCheck = true }).From(stream);
            foreach (var r in reader)
            {
                if (r.ColCount > Col.SoldAt && FieldParser.Timestamp(r[Col.SoldAt].Span, out var d, out _, out _))
                {
                    dates.Add(d);
                }
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

    private static async Task WriteRejectedAsync(NpgsqlConnection conn, int batchId, List<(long Line, string Raw, string Reason)> rejected, CancellationToken ct)
    {
        if (rejected.Count == 0)
        {
            return;
        }
        await using var w = await conn.BeginBinaryImportAsync("COPY ops.rejected_rows (batch_id, line_no, raw_line, reason) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (line, raw, reason) in rejected)
        {
            await w.StartRowAsync(ct);
            await w.WriteAsync(batchId, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(line, NpgsqlDbType.Bigint, ct);
            // PostgreSQL text cannot hold NUL; keep the rest of the line as it was.
            await w.WriteAsync(raw.Replace("\0", "", StringComparison.Ordinal), NpgsqlDbType.Text, ct);
            await w.WriteAsync(reason, NpgsqlDbType.Text, ct);
        }
        await w.CompleteAsync(ct);
    }

    private async Task<FileLoadResult> RecordFailureAsync(string path, string sha, DateTimeOffset started, FileFailedException e, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            INSERT INTO ops.load_batches (file_name, file_sha256, rows_read, rows_rejected, started_at, finished_at, status, error)
            VALUES ($1, $2, $3, $4, $5, $6, 'failed', $7) RETURNING batch_id
            """);
        cmd.Parameters.Add(new() { Value = Path.GetFileName(path) });
        cmd.Parameters.Add(new() { Value = sha });
        cmd.Parameters.Add(new() { Value = e.RowsRead });
        cmd.Parameters.Add(new() { Value = e.RowsRejected });
        cmd.Parameters.Add(new() { Value = started });
        cmd.Parameters.Add(new() { Value = clock.GetUtcNow() });
        cmd.Parameters.Add(new() { Value = e.Message });
        var id = (int)(await cmd.ExecuteScalarAsync(ct))!;
        return new FileLoadResult(path, FileOutcome.Failed, id, e.RowsRead, 0, e.RowsRejected, e.Message);
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
internal sealed class FileFailedException(string message, long rowsRead, long rowsRejected) : Exception(message)
{
    public long RowsRead { get; } = rowsRead;
    public long RowsRejected { get; } = rowsRejected;
}
