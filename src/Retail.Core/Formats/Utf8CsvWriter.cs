using System.Buffers.Text;
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

    public void Comma() => Byte((byte)',');

    public void NewLine()
    {
        Byte((byte)'\r');
        Byte((byte)'\n');
    }

    public void Byte(byte b)
    {
        if (_length == _buffer.Length)
        {
            Flush();
        }
        _buffer[_length++] = b;
    }

    public void Integer(long value)
    {
        Reserve(20);
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_length), out var n);
        _length += n;
    }

    /// <summary>Pence as pounds with exactly two decimals: -1299 → "-12.99".</summary>
    public void Money(long pence)
    {
        Reserve(24);
        if (pence < 0)
        {
            _buffer[_length++] = (byte)'-';
            pence = -pence;
        }
        Utf8Formatter.TryFormat(pence / 100, _buffer.AsSpan(_length), out var n);
        _length += n;
        var p = (int)(pence % 100);
        _buffer[_length++] = (byte)'.';
        _buffer[_length++] = (byte)('0' + (p / 10));
        _buffer[_length++] = (byte)('0' + (p % 10));
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
