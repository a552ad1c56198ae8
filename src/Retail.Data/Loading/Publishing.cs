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
        await using var cmd = db.CreateCommand("""
            UPDATE ops.load_batches b SET published = true
            FROM unnest($1::text[], $2::text[]) AS f(name, sha)
            WHERE b.status = 'loaded' AND NOT b.published AND b.file_name = f.name AND b.file_sha256 = f.sha
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = files.Select(f => f.Name).ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = files.Select(f => f.Sha256 ?? "").ToArray() });
        var published = await cmd.ExecuteNonQueryAsync(ct);
        // Published already: a failure here leaves months that the dashboard reads from the fine rollups until rebuilt.
        await Rollups.PeriodRollups.RebuildStaleAsync(db, ct);
        return published;
    }
}
