using Npgsql;
using Retail.Core.Reference;

namespace Retail.Data.Warehouse;

/// <summary>
/// Upserts the reference seed (stores, categories, payment methods, channels) into the dimensions by natural key, on
/// every schema apply, so a store the seed adds or renames reaches a warehouse that was built before it. Keys are
/// the seed's; a seed that would move a key refuses to apply (facts point at the keys). Members the seed no longer
/// lists stay, and a build with an older seed than the warehouse has seen leaves the dimensions alone.
/// </summary>
internal static class ReferenceData
{
    private static readonly string Conflicts = Sql("conflicts");
    private static readonly string Stores = Sql("stores");
    private static readonly string Categories = Sql("categories");
    private static readonly string PaymentMethods = Sql("payment_methods");
    private static readonly string Channels = Sql("channels");
    private static readonly string RecordVersion = Sql("record_version");

    private static string Sql(string name) => WarehouseSchema.Resource($"reference/{name}.sql");

    /// <summary>Returns true when the seed was applied (false when the warehouse has already seen a newer one).</summary>
    public static async Task<bool> UpsertAsync(NpgsqlConnection conn, ReferenceSeed seed, CancellationToken ct)
    {
        if (seed.Problem() is { } problem)
        {
            throw new ReferenceSeedException(problem);
        }
        await using (var newest = new NpgsqlCommand("SELECT max(version) FROM ops.reference_seeds", conn))
        {
            if (await newest.ExecuteScalarAsync(ct) is int seen && seen > seed.Version)
            {
                return false;
            }
        }
        await RefuseConflictsAsync(conn, seed, ct);

        await using var batch = new NpgsqlBatch(conn)
        {
            BatchCommands =
            {
                Command(Stores, seed.Stores.Select(s => s.Key).ToArray(), seed.Stores.Select(s => s.Code).ToArray(),
                    seed.Stores.Select(s => s.Name).ToArray(), seed.Stores.Select(s => s.Town).ToArray(),
                    seed.Stores.Select(s => s.Postcode).ToArray(), seed.Stores.Select(s => s.Format).ToArray(),
                    seed.Stores.Select(s => s.OpenedOn).ToArray()),
                Command(Categories, Keys(seed.Categories), Names(seed.Categories)),
                Command(PaymentMethods, Keys(seed.PaymentMethods), Names(seed.PaymentMethods)),
                Command(Channels, Keys(seed.Channels), Names(seed.Channels)),
                Command(RecordVersion, seed.Version),
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        return true;
    }

    private static async Task RefuseConflictsAsync(NpgsqlConnection conn, ReferenceSeed seed, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(Conflicts, conn);
        foreach (var value in new object[]
        {
            seed.Stores.Select(s => s.Key).ToArray(), seed.Stores.Select(s => s.Code).ToArray(),
            Keys(seed.Categories), Names(seed.Categories),
            Keys(seed.PaymentMethods), Names(seed.PaymentMethods),
            Keys(seed.Channels), Names(seed.Channels),
        })
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (await r.ReadAsync(ct))
        {
            var (dimension, member, key, held, heldKey) = (r.GetString(0), r.GetString(1), r.GetInt16(2), r.GetString(3), r.GetInt16(4));
            var clash = key == heldKey
                ? $"key {key} is '{held}' in the warehouse but '{member}' in the seed"
                : $"'{member}' has key {key} in the seed but {heldKey} in the warehouse";
            throw new ReferenceSeedException(
                $"reference seed v{seed.Version} disagrees with the warehouse: {dimension} {clash}. Keys never change once " +
                "loaded: give the member its warehouse key (or a new natural key a new key) in ReferenceSeed, then run again.");
        }
    }

    private static short[] Keys(IReadOnlyList<LookupSeed> members) => members.Select(m => m.Key).ToArray();

    private static string[] Names(IReadOnlyList<LookupSeed> members) => members.Select(m => m.Name).ToArray();

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return command;
    }
}

/// <summary>The reference seed is inconsistent, or disagrees with the keys a warehouse already holds.</summary>
public sealed class ReferenceSeedException(string message) : Exception(message);
