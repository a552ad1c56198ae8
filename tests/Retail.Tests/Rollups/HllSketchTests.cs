using Npgsql;
using NpgsqlTypes;
using Retail.Data.Rollups;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Rollups;

/// <summary>
/// The loader's HyperLogLog sketches against the hll extension itself: the same hash for every key, and the same
/// bytes as hll_add_agg for sets that end in each of its forms (explicit, sparse, full registers) and at both edges
/// between them, with duplicates.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class HllSketchTests(PostgresFixture pg) : IAsyncLifetime
{
    private NpgsqlDataSource _db = null!;

    public async Task InitializeAsync()
    {
        _db = pg.Endpoint(await pg.CreateDatabaseAsync("hll")).CreateDataSource();
        await using var cmd = _db.CreateCommand("CREATE EXTENSION IF NOT EXISTS hll");
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Hashes_every_key_as_hll_hash_integer()
    {
        var keys = new List<int> { 0, 1, -1, 2, 42, int.MaxValue, int.MinValue, 1 << 20 };
        var random = new Random(7);
        keys.AddRange(Enumerable.Range(0, 2000).Select(_ => random.Next(int.MinValue, int.MaxValue)));
        await using var cmd = _db.CreateCommand(
            "SELECT array_agg(hll_hash_integer(k)::text::bigint ORDER BY o) FROM unnest($1) WITH ORDINALITY AS t(k, o)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        var server = (long[])(await cmd.ExecuteScalarAsync())!;
        Assert.Equal(server, keys.Select(HllSketch.HashInteger).ToArray());
    }

    [Theory]
    [InlineData(1, 0x12)] // explicit
    [InlineData(7, 0x12)]
    [InlineData(320, 0x12)] // the last explicit size
    [InlineData(321, 0x13)] // sparse registers
    [InlineData(1300, 0x13)]
    [InlineData(1600, 0x14)] // full registers
    [InlineData(60_000, 0x14)]
    public async Task Builds_the_bytes_hll_add_agg_builds(int distinct, byte header)
    {
        var random = new Random(distinct);
        var keys = new HashSet<int>();
        while (keys.Count < distinct)
        {
            keys.Add(random.Next());
        }
        await AssertSameAsServerAsync(keys.ToList(), random, header);
    }

    /// <summary>Sparse while 17 bits per filled register stay under the full registers' 20,480: 1,204 filled, not 1,205.</summary>
    [Theory]
    [InlineData(1204, 0x13)]
    [InlineData(1205, 0x14)]
    public async Task Turns_full_exactly_where_the_extension_does(int filled, byte header)
    {
        var random = new Random(filled);
        var keys = new List<int>();
        var registers = new HashSet<long>();
        while (registers.Count < filled)
        {
            var key = random.Next();
            var hash = HllSketch.HashInteger(key);
            if ((ulong)hash >> HllSketch.Log2Registers != 0 && !registers.Contains(hash & 4095))
            {
                registers.Add(hash & 4095);
                keys.Add(key);
            }
        }
        await AssertSameAsServerAsync(keys, random, header);
    }

    private async Task AssertSameAsServerAsync(List<int> keys, Random random, byte header)
    {
        // Every key at least once, a third twice, in a shuffled order.
        var values = keys.Concat(keys.Where((_, i) => i % 3 == 0)).OrderBy(_ => random.Next()).ToArray();
        var sketch = new HllSketch.Builder();
        foreach (var v in values)
        {
            sketch.Add(HllSketch.HashInteger(v));
        }
        var mine = sketch.ToBytes();
        Assert.Equal(header, mine[0]);

        // hll's text form is its bytes in hex; reading the loader's sketch back goes through the extension's own parser.
        var hex = @"\x" + Convert.ToHexStringLower(mine);
        await using var cmd = _db.CreateCommand("""
            SELECT hll_add_agg(hll_hash_integer(k), 12)::text, hll_cardinality($2::hll)
            FROM unnest($1) AS t(k)
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        cmd.Parameters.Add(new NpgsqlParameter { Value = hex, NpgsqlDbType = NpgsqlDbType.Text });
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        Assert.Equal(hex, r.GetString(0));
        Assert.True(r.GetDouble(1) > 0);
    }
}
