using Npgsql;
using NpgsqlTypes;
using Retail.Core.Formats;

namespace Retail.Data.Loading;

/// <summary>
/// Loads one staging file as one batch in one transaction: either all of its good rows land with its batch
/// record, rollups and quarantined rows, or none of it does. Facts go in by binary COPY (<see cref="FactCopyPass"/>).
/// A try that meets a missing month or a duplicate key says so in its result, and the file is redone once the cause
/// is dealt with: no exception steers the expected paths.
/// </summary>
internal sealed class SalesFileLoader(NpgsqlDataSource db, DimensionCache dims, PartitionManager partitions, ControlTotals controlTotals,
    LoadOptions options, TimeProvider clock, LoadTimings timings)
{
    private readonly KeyReserver _productKeys = new(db, "marts.dim_product_key_seq");
    private readonly KeyReserver _customerKeys = new(db, "marts.dim_customer_key_seq");

    /// <param name="scanned">The file as the dimension pass read it (null when that pass could not read it).</param>
    public async Task<FileLoadResult> LoadAsync(string path, FileIdentity file, ScannedFile? scanned, CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        var checkWarehouseDuplicates = false;
        for (var attempt = 1; ; attempt++)
        {
            Attempt tried;
            try
            {
                tried = await AttemptAsync(path, file, started, checkWarehouseDuplicates, scanned, ct);
            }
            catch (Exception e) when (FileProblem(path, e) is { } reason)
            {
                // Nothing of the file was written: its transaction rolled back with the exception.
                return await FailAsync(path, file, started, reason, 0, [], ct);
            }
            switch (tried)
            {
                case { Result: { } result }:
                    return result;
                case { Refused: { } refused }:
                    return await FailAsync(path, file, started, refused.Reason, refused.Read, refused.Rejected, ct);
                case { MissingPartition: { } day } when attempt < 3:
                    // The dimension pass creates every month the files touch; this covers a month it could not see.
                    await partitions.EnsureAsync([day], ct);
                    break;
                case { MissingPartition: { } day }:
                    var reason = $"{Path.GetFileName(path)}: the partition for {day:yyyy-MM} could not be created; "
                        + "nothing from the file was loaded.";
                    return await FailAsync(path, file, started, reason, 0, [], ct);
                default:
                    // Some line is already in the warehouse (or twice in a huge file): redo the file checking every key.
                    checkWarehouseDuplicates = true;
                    break;
            }
        }
    }

    /// <summary>What one try at a file came to: a result, a refusal to record, or the reason to try again.</summary>
    private sealed record Attempt
    {
        public FileLoadResult? Result { get; init; }
        public (string Reason, long Read, IReadOnlyCollection<RejectedRow> Rejected)? Refused { get; init; }
        public DateOnly? MissingPartition { get; init; }

        /// <summary>The fact COPY met a key already stored: redo on the path that checks every key.</summary>
        public static readonly Attempt KeyConflict = new();
    }

    /// <summary>The reason a file is refused as a whole, for the failures that belong to the file and not to the database.</summary>
    internal static string? FileProblem(string path, Exception e) => e switch
    {
        InvalidDataException or IOException or UnauthorizedAccessException =>
            e.Message.Contains(Path.GetFileName(path), StringComparison.Ordinal) ? e.Message : $"{Path.GetFileName(path)}: {e.Message}",
        NotSupportedException ns => StagingCsv.TooLong(path, ns).Message,
        // Class 22 (data exception): a value the server refused although it passed validation.
        PostgresException pe when pe.SqlState.StartsWith("22", StringComparison.Ordinal) =>
            $"{Path.GetFileName(path)}: PostgreSQL refused a value ({pe.SqlState}: {pe.MessageText}); nothing from the file was loaded.",
        _ => null,
    };

    /// <summary>
    /// The fact COPY failed in a way a duplicate key causes: 23505 on one node; through Citus, XX000 with no table
    /// or constraint name (the shard's error is re-raised as internal). Matched by SqlState only, during the fact
    /// COPY only; the file is then redone once on the path that checks every key, where a second failure is real.
    /// </summary>
    internal static bool IsKeyConflict(PostgresException e) =>
        e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.InternalError;

    private async Task<FileLoadResult> FailAsync(string path, FileIdentity file, DateTimeOffset started, string reason, long read,
        IReadOnlyCollection<RejectedRow> rejected, CancellationToken ct)
    {
        var id = await BatchLedger.RecordFailureAsync(db, file, read, rejected, started, clock.GetUtcNow(), reason, ct);
        return new FileLoadResult(path, FileOutcome.Failed, id, read, 0, rejected.Count, reason);
    }

    private async Task<Attempt> AttemptAsync(string path, FileIdentity file, DateTimeOffset started, bool checkWarehouseDuplicates,
        ScannedFile? scanned, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // A crash loses at most this uncommitted batch as a whole; the loader ends with a durable commit barrier.
        await conn.ExecAsync("SET LOCAL synchronous_commit = off", ct);

        if (await BatchLedger.LockAndFindAsync(conn, file, anyContent: options.Force, ct) is { } prior)
        {
            if (!options.Force)
            {
                return new Attempt { Result = new FileLoadResult(path, FileOutcome.Skipped, prior, 0, 0, 0, null) };
            }
            await BatchLedger.ReplaceAsync(conn, prior, ct);
        }
        var batchId = await BatchLedger.StartAsync(conn, file, started, options.Publish, ct);
        var existing = checkWarehouseDuplicates ? await FactKeys.ExistingAsync(conn, scanned?.Dates ?? FactKeys.FileDates(path), ct) : null;

        CopyResult parse;
        try
        {
            using var _ = timings.Measure(LoadPhase.ParseValidateCopy);
            var pass = new FactCopyPass(dims, partitions, _productKeys, _customerKeys);
            parse = await Task.Run(() => pass.Run(conn, path, batchId, existing, scanned?.Rows ?? 0, ct), ct);
        }
        catch (PostgresException e) when (!checkWarehouseDuplicates && IsKeyConflict(e))
        {
            return Attempt.KeyConflict;
        }
        if (parse.MissingPartition is { } day)
        {
            return new Attempt { MissingPartition = day };
        }

        // New dimension members are committed on their own (harmless if this batch later fails), so no
        // long-held dimension locks and no deadlocks between parallel loaders.
        var members = timings.Measure(LoadPhase.NewMembers);
        var productRemap = await DimensionWriter.UpsertProductsAsync(db, parse.NewProducts, ct);
        var customerRemap = await DimensionWriter.UpsertCustomersAsync(db, parse.NewCustomers, ct);
        if (productRemap.Count > 0 || customerRemap.Count > 0)
        {
            await FactKeys.RemapAsync(conn, batchId, parse.MinDate!.Value, parse.MaxDate!.Value, productRemap, customerRemap, ct);
            parse.Rollups.Remap(productRemap, customerRemap);
            parse.FirstPurchases.Remap(customerRemap);
        }
        members.Dispose();

        if (parse.Read > 0 && parse.Rejected.Count > options.MaxRejectRate * parse.Read)
        {
            return new Attempt { Refused = (TooManyRejected(parse), parse.Read, parse.Rejected) };
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
            await BatchLedger.FinishAsync(conn, batchId, parse.Read, parse.Loaded, parse.Rejected.Count, clock.GetUtcNow(),
                parse.MinDate, parse.MaxDate, ct);
        }
        using (timings.Measure(LoadPhase.FirstPurchases))
        {
            await FirstPurchases.KeepAsync(conn, batchId, parse.FirstPurchases, options.Publish, ct);
        }
        using (timings.Measure(LoadPhase.Commit))
        {
            await tx.CommitAsync(ct);
        }
        dims.Remember(parse.NewProducts.Select(p => productRemap.TryGetValue(p.Key, out var k) ? p with { Key = k } : p),
            parse.NewCustomers.Select(c => customerRemap.TryGetValue(c.Key, out var k) ? c with { Key = k } : c));
        return new Attempt
        {
            Result = new FileLoadResult(path, FileOutcome.Loaded, batchId, parse.Read, parse.Loaded, parse.Rejected.Count, null,
                parse.MinDate, parse.MaxDate),
        };
    }

    private string TooManyRejected(CopyResult parse)
    {
        var reasons = parse.Rejected.GroupBy(r => r.Why.CodeText).OrderByDescending(g => g.Count()).Take(3)
            .Select(g => $"{g.Count()}× {g.Key}");
        return $"{parse.Rejected.Count} of {parse.Read} rows rejected ({100.0 * parse.Rejected.Count / parse.Read:F2}%), more than "
            + $"--max-reject-rate {options.MaxRejectRate:P2} allows ({string.Join("; ", reasons)}); nothing from this file was loaded, "
            + "its rejected rows are in ops.rejected_rows. Fix the file or raise --max-reject-rate.";
    }
}
