using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Retail.Data.Rollups;

namespace Retail.Data.Loading;

/// <summary>A staging file as the ledger knows it: its name and its content's SHA-256 (null when it could not be read).</summary>
public readonly record struct FileIdentity(string Name, string? Sha256)
{
    public static FileIdentity Of(string path, string? sha) => new(Path.GetFileName(path), sha);

    /// <summary>
    /// The advisory-lock key of this file: two loaders of a file of this name serialise on it (a --force reload
    /// replaces the batch of the same name, whatever its content was).
    /// </summary>
    public long LockKey => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(Name)), 0) & long.MaxValue;
}

/// <summary>A rejected line: its 1-based line number in the file, the raw text and why.</summary>
internal readonly record struct RejectedRow(long Line, string Raw, Rejection Why);

/// <summary>
/// ops.load_batches and ops.rejected_rows: every batch's record, from "started" to loaded, failed or replaced.
/// A file (name + content) is 'loaded' at most once.
/// </summary>
internal static class BatchLedger
{
    /// <summary>Batches already loaded for these files, by identity.</summary>
    public static async Task<Dictionary<FileIdentity, int>> LoadedAsync(NpgsqlDataSource db, IReadOnlyCollection<FileIdentity> files,
        CancellationToken ct)
    {
        var loaded = new Dictionary<FileIdentity, int>();
        await using var cmd = db.CreateCommand("""
            SELECT b.file_name, b.file_sha256, b.batch_id
            FROM ops.load_batches b JOIN unnest($1::text[], $2::text[]) AS f(name, sha) ON b.file_name = f.name AND b.file_sha256 = f.sha
            WHERE b.status = 'loaded'
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = files.Select(f => f.Name).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = files.Select(f => f.Sha256 ?? "").ToArray() });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            loaded[new FileIdentity(r.GetString(0), r.GetString(1))] = r.GetInt32(2);
        }
        return loaded;
    }

    /// <summary>Which of these file names have a loaded batch (any content): only those need hashing before the skip check.</summary>
    public static async Task<HashSet<string>> LoadedNamesAsync(NpgsqlDataSource db, IReadOnlyCollection<string> names, CancellationToken ct)
    {
        var loaded = new HashSet<string>(StringComparer.Ordinal);
        await using var cmd = db.CreateCommand("SELECT DISTINCT file_name FROM ops.load_batches WHERE file_name = ANY($1) AND status = "
            + "'loaded'");
        cmd.Parameters.Add(new NpgsqlParameter { Value = names.ToArray() });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            loaded.Add(r.GetString(0));
        }
        return loaded;
    }

    /// <summary>
    /// In the file's transaction: waits for any other loader of a file of this name, then returns the loaded batch of
    /// this file (same name and content) or, with <paramref name="anyContent"/> (--force), of any file of this name.
    /// </summary>
    public static async Task<int?> LockAndFindAsync(NpgsqlConnection conn, FileIdentity file, bool anyContent, CancellationToken ct)
    {
        await conn.ExecAsync($"SELECT pg_advisory_xact_lock({file.LockKey})", ct);
        await using var cmd = new NpgsqlCommand("SELECT max(batch_id) FROM ops.load_batches WHERE file_name = $1 AND ($3 OR file_sha256 = "
            + "$2) AND status = 'loaded'", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = file.Name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = file.Sha256 ?? "" });
        cmd.Parameters.Add(new NpgsqlParameter { Value = anyContent });
        return await cmd.ExecuteScalarAsync(ct) is int id ? id : null;
    }

    public static async Task<int> StartAsync(NpgsqlConnection conn, FileIdentity file, DateTimeOffset started, bool publish,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("INSERT INTO ops.load_batches (file_name, file_sha256, started_at, status, published) "
            + "VALUES ($1, $2, $3, 'loaded', $4) RETURNING batch_id", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = file.Name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = file.Sha256 });
        cmd.Parameters.Add(new NpgsqlParameter { Value = started });
        cmd.Parameters.Add(new NpgsqlParameter { Value = publish });
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public static async Task FinishAsync(NpgsqlConnection conn, int batchId, long read, long loaded, long rejected,
        DateTimeOffset finished, DateOnly? min, DateOnly? max, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            UPDATE ops.load_batches
            SET rows_read = $2, rows_loaded = $3, rows_rejected = $4, finished_at = $5, min_sale_date = $6, max_sale_date = $7
            WHERE batch_id = $1
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = batchId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = read });
        cmd.Parameters.Add(new NpgsqlParameter { Value = loaded });
        cmd.Parameters.Add(new NpgsqlParameter { Value = rejected });
        cmd.Parameters.Add(new NpgsqlParameter { Value = finished });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)min ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)max ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>--force: the old batch's facts and rollups go, in the same transaction as the new ones arrive.</summary>
    public static async Task ReplaceAsync(NpgsqlConnection conn, int batchId, CancellationToken ct)
    {
        // The facts and every per-batch rollup, found through their date index within the batch's date range.
        var deletes = FineRollups.Tables.Prepend("marts.fct_sales").Select(table => $"""
            DELETE FROM {table} a USING ops.load_batches b
             WHERE b.batch_id = {batchId} AND a.sale_date BETWEEN b.min_sale_date AND b.max_sale_date AND a.batch_id = {batchId};
            """);
        await conn.ExecAsync(string.Concat(deletes) + $"UPDATE ops.load_batches SET status = 'replaced' WHERE batch_id = {batchId};", ct);
        await FirstPurchases.ReplaceAsync(conn, batchId, ct);
    }

    /// <summary>The manifest's totals for this batch, so every later check can reconcile it without the staging files.</summary>
    public static async Task WriteControlTotalsAsync(NpgsqlConnection conn, int batchId, IReadOnlyList<StoreDayTotal> totals,
        CancellationToken ct)
    {
        await using (var mark = new NpgsqlCommand("UPDATE ops.load_batches SET has_control_totals = true WHERE batch_id = $1", conn))
        {
            mark.Parameters.Add(new NpgsqlParameter { Value = batchId });
            await mark.ExecuteNonQueryAsync(ct);
        }
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO ops.batch_control_totals (batch_id, sale_date, store_code, lines, units, revenue_pence)
            SELECT $1, * FROM unnest($2::date[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[])
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = batchId });
        cmd.Parameters.Add(new NpgsqlParameter { Value = totals.Select(t => t.Date).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = totals.Select(t => t.Store).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = totals.Select(t => t.Lines).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = totals.Select(t => t.Units).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = totals.Select(t => t.RevenuePence).ToArray() });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Quarantine: the rejected lines of a batch (loaded or failed), NULs dropped since text cannot hold them.</summary>
    public static async Task WriteRejectedAsync(NpgsqlConnection conn, int batchId, IReadOnlyCollection<RejectedRow> rejected,
        CancellationToken ct)
    {
        if (rejected.Count == 0)
        {
            return;
        }
        await using var w = await conn.BeginBinaryImportAsync("COPY ops.rejected_rows (batch_id, line_no, raw_line, reason, reason_code) "
            + "FROM STDIN (FORMAT BINARY)", ct);
        foreach (var (line, raw, why) in rejected)
        {
            await w.StartRowAsync(ct);
            await w.WriteAsync(batchId, NpgsqlDbType.Integer, ct);
            await w.WriteAsync(line, NpgsqlDbType.Bigint, ct);
            await w.WriteAsync(raw.Replace("\0", "", StringComparison.Ordinal), NpgsqlDbType.Text, ct);
            await w.WriteAsync(why.Message, NpgsqlDbType.Text, ct);
            await w.WriteAsync(why.CodeText, NpgsqlDbType.Text, ct);
        }
        await w.CompleteAsync(ct);
    }

    /// <summary>A file refused as a whole: a 'failed' batch with the reason, and its rejected lines when there were any.</summary>
    public static async Task<int> RecordFailureAsync(NpgsqlDataSource db, FileIdentity file, long rowsRead,
        IReadOnlyCollection<RejectedRow> rejected,
        DateTimeOffset started, DateTimeOffset finished, string error, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        int id;
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO ops.load_batches (file_name, file_sha256, rows_read, rows_rejected, started_at, finished_at, status, error)
            VALUES ($1, $2, $3, $4, $5, $6, 'failed', $7) RETURNING batch_id
            """, conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = file.Name });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)file.Sha256 ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = rowsRead });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (long)rejected.Count });
            cmd.Parameters.Add(new NpgsqlParameter { Value = started });
            cmd.Parameters.Add(new NpgsqlParameter { Value = finished });
            cmd.Parameters.Add(new NpgsqlParameter { Value = error });
            id = (int)(await cmd.ExecuteScalarAsync(ct))!;
        }
        await WriteRejectedAsync(conn, id, rejected, ct);
        await tx.CommitAsync(ct);
        return id;
    }
}
