using Npgsql;

namespace Retail.Data.Quality;

/// <summary>The views that say which batches count (ops/095_published_batches.sql), for SQL that picks one.</summary>
public static class Batches
{
    /// <summary>Loaded and through the publish gate: what users see.</summary>
    public const string Published = "ops.published_batches";

    /// <summary>Every loaded batch, published or not (a pipeline checks a day before it publishes it).</summary>
    public const string Loaded = "ops.loaded_batches";

    public static string View(bool includeUnpublished) => includeUnpublished ? Loaded : Published;

    /// <summary>The first and last sale dates of the published data (nulls when there is none).</summary>
    public static async Task<(DateOnly? First, DateOnly? Last)> PublishedRangeAsync(NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT min(min_sale_date), max(max_sale_date) FROM {Published}");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return (r.IsDBNull(0) ? null : r.GetFieldValue<DateOnly>(0), r.IsDBNull(1) ? null : r.GetFieldValue<DateOnly>(1));
    }
}
