using System.Buffers.Binary;
using Npgsql;

namespace Retail.Data.Loading;

/// <summary>
/// Writes PostgreSQL's binary COPY format into Npgsql's raw binary COPY stream. The hot path of a load: per value
/// it is a big-endian store into a buffer, where NpgsqlBinaryImporter.Write resolves a converter every call
/// (measured: the loader's client CPU halved). The column list and types are fixed by the caller's COPY statement.
/// </summary>
internal sealed class BinaryCopyWriter : IDisposable
{
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF,
        (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private static readonly int PostgresEpochDay = new DateOnly(2000, 1, 1).DayNumber;

    private readonly NpgsqlConnection _conn;
    private readonly NpgsqlRawCopyStream _stream;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _length;
    private bool _completed;

    public BinaryCopyWriter(NpgsqlConnection conn, string copyFromStdinBinary)
    {
        _conn = conn;
        _stream = conn.BeginRawBinaryCopy(copyFromStdinBinary);
        Header.CopyTo(_buffer, 0);
        _length = Header.Length;
    }

    /// <summary>Room for one row of at most this many bytes (its fields' lengths and values).</summary>
    public void StartRow(short fields, int maxBytes)
    {
        if (_length + maxBytes + 2 > _buffer.Length)
        {
            // Checked here, once a buffer, not per row: a row that cannot fit an empty buffer always lands here, and would
            // fail halfway after the flush; refuse it before any of it is written.
            ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBytes, _buffer.Length - 2);
            Flush();
        }
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length), fields);
        _length += 2;
    }

    public void Int16(short v)
    {
        Length(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length), v);
        _length += 2;
    }

    public void Int32(int v)
    {
        Length(4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), v);
        _length += 4;
    }

    public void Int64(long v)
    {
        Length(8);
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_length), v);
        _length += 8;
    }

    /// <summary>A value sent as its raw bytes (bytea, or a type whose binary input is bytea's, as hll's).</summary>
    public void Bytes(ReadOnlySpan<byte> v)
    {
        Length(v.Length);
        v.CopyTo(_buffer.AsSpan(_length));
        _length += v.Length;
    }

    public void Date(DateOnly d) => Int32(d.DayNumber - PostgresEpochDay);

    /// <summary>timestamptz: microseconds since 2000-01-01 UTC.</summary>
    public void TimestampUtc(DateTime utc) => Int64((utc.Ticks - PostgresEpochTicks) / 10);

    public void Null()
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), -1);
        _length += 4;
    }

    private void Length(int n)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), n);
        _length += 4;
    }

    private void Flush()
    {
        _stream.Write(_buffer, 0, _length);
        _length = 0;
    }

    /// <summary>Writes the trailer and ends the COPY; the server then reports any constraint violation.</summary>
    public void Complete()
    {
        if (_length + 2 > _buffer.Length)
        {
            Flush();
        }
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length), -1);
        _length += 2;
        Flush();
        _completed = true;
        _stream.Dispose();
    }

    /// <summary>
    /// Not completed means abandoned: cancel the COPY so nothing half-sent is applied. Never throws: it runs while
    /// another exception is on its way out (often a dead connection), and must not replace it.
    /// </summary>
    public void Dispose()
    {
        if (_completed)
        {
            return;
        }
        _completed = true;
        if (_conn.FullState.HasFlag(System.Data.ConnectionState.Broken))
        {
            // Nothing to cancel on a dead connection (and Npgsql 10's Cancel() throws NullReferenceException there).
            return;
        }
        try
        {
            _stream.Cancel();
            _stream.Dispose();
        }
        catch (Exception e)
            when (e is NpgsqlException or IOException or ObjectDisposedException or InvalidOperationException or NullReferenceException)
        {
            // Cancelling reports 57014, and a connection that broke meanwhile reports itself; the transaction rolls back either way.
        }
    }
}
