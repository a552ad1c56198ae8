using Npgsql;

namespace Retail.Data.Loading;

/// <summary>The pipeline's gate: a day's batches are loaded unpublished and shown on the dashboard only once its checks pass.</summary>
public static class Publishing
{
    /// <summary>
    /// Publishes the loaded, unpublished batches of these files (by name and content), then rebuilds the month rollups
    /// that are no longer current; returns how many batches were published.
    /// </summary>
    public static async Task<long> PublishAsync(NpgsqlDataSource db, IReadOnlyCollection<FileIdentity> files, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            UPDATE ops.load_batches b SET published = true
            FROM unnest($1::text[], $2::text[]) AS f(name, sha)
            WHERE b.status = 'loaded' AND NOT b.published AND b.file_name = f.name AND b.file_sha256 = f.sha
            RETURNING b.batch_id
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = files.Select(f => f.Name).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = files.Select(f => f.Sha256 ?? "").ToArray() });
        var batches = new List<int>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                batches.Add(r.GetInt32(0));
            }
        }
        // First purchases (new customers) change in the transaction that publishes, so they never disagree with it.
        await FirstPurchases.PublishAsync(conn, batches, ct);
        await tx.CommitAsync(ct);
        var published = batches.Count;
        // Published already: a failure here leaves months that the dashboard reads from the fine rollups until rebuilt.
        await Rollups.PeriodRollups.RebuildStaleAsync(db, ct);
        return published;
    }
}
