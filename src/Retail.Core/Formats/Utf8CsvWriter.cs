using System.Text;

namespace Retail.Core.Formats;

/// <summary>
/// A minimal, allocation-free CSV writer over a stream the caller owns. Hand-written rather than Sep's writer
/// because the generator needs byte-level control: pre-encoded dimension fields, exact output, and the ability
/// to inject a deliberate encoding fault in --dirty mode.
/// </summary>
public sealed class Utf8CsvWriter(Stream output, int bufferSize = 1 << 18)
{
    private readonly byte[] _buffer = new byte[bufferSize];
    private int _length;

    public long BytesWritten { get; private set; }

    /// <summary>Encodes a text field once (quoted when it must be), for reuse on every row.</summary>
    public static byte[] Encode(string field) => Encoding.UTF8.GetBytes(Quote(field));

    /// <summary>RFC 4180 quoting: only fields holding a comma, quote or line break are quoted.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;

    public void Raw(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _buffer.Length)
        {
            Flush();
            if (bytes.Length > _buffer.Length)
            {
                output.Write(bytes);
                BytesWritten += bytes.Length;
                return;
            }
        }
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>
    /// Room for at least <paramref name="size"/> bytes in the buffer (flushing first if needed), to be filled and then
    /// committed with <see cref="Advance"/>: one check for a whole row instead of one per field.
    /// </summary>
    public Span<byte> GetSpan(int size)
    {
        if (size > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"more than the writer's {_buffer.Length}-byte buffer");
        }
        Reserve(size);
        return _buffer.AsSpan(_length);
    }

    /// <summary>Commits <paramref name="count"/> bytes written into the span <see cref="GetSpan"/> returned.</summary>
    public void Advance(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _length))
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "more bytes than the span had");
        }
        _length += count;
    }

    public void Flush()
    {
        if (_length > 0)
        {
            output.Write(_buffer, 0, _length);
            BytesWritten += _length;
            _length = 0;
        }
    }

    private void Reserve(int n)
    {
        if (_length + n > _buffer.Length)
        {
            Flush();
        }
    }
}
