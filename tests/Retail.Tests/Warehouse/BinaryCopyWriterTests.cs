using Retail.Data.Loading;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Warehouse;

/// <summary>
/// The loader's binary COPY writer at its buffer's edge: the largest row it can hold goes through whole, a larger one is
/// refused before any of it is written (it used to fail halfway through the row, after a flush).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class BinaryCopyWriterTests(PostgresFixture pg)
{
    [Fact]
    public async Task Writes_a_row_that_fills_its_buffer_and_refuses_a_larger_one_before_writing_it()
    {
        await using var db = pg.Endpoint(await pg.CreateDatabaseAsync("copyw")).CreateDataSource();
        await using var conn = await db.OpenConnectionAsync();
        await using (var create = new Npgsql.NpgsqlCommand("CREATE TABLE blobs (b bytea NOT NULL)", conn))
        {
            await create.ExecuteNonQueryAsync();
        }
        // One bytea field: 2 bytes of field count, 4 of length, then the value; the buffer is 64 KiB and starts with a 19-byte header.
        var largest = new byte[(1 << 16) - 2 - 4];
        largest.AsSpan().Fill(0xAB);
        using (var w = new BinaryCopyWriter(conn, "COPY blobs (b) FROM STDIN (FORMAT BINARY)"))
        {
            w.StartRow(1, 4 + largest.Length);
            w.Bytes(largest);
            w.Complete();
        }
        using (var w = new BinaryCopyWriter(conn, "COPY blobs (b) FROM STDIN (FORMAT BINARY)"))
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => w.StartRow(1, 4 + largest.Length + 1));
        }
        await using var check = new Npgsql.NpgsqlCommand(
            "SELECT count(*), min(length(b)), bool_and(b = decode(repeat('ab', length(b)), 'hex')) FROM blobs", conn);
        await using var r = await check.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        Assert.Equal(1L, r.GetInt64(0));
        Assert.Equal(largest.Length, r.GetInt32(1));
        Assert.True(r.GetBoolean(2));
    }
}
