using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Tmds.Linux;

namespace Retail.Data.Loading;

/// <summary>
/// How a staging file is read: only regular files, gzip verified to its last byte, text decoded so that invalid
/// UTF-8 stays visible per row. Every reader of a staging file (hash, dimension scan, fact load) comes through here.
/// </summary>
internal static class StagingFile
{
    /// <summary>What an invalid UTF-8 byte decodes to: a noncharacter, never valid in interchanged text either.</summary>
    public const char InvalidByte = '\uFFFF';

    private static readonly Encoding Utf8 = Encoding.GetEncoding("utf-8", EncoderFallback.ExceptionFallback, new MarkInvalidBytes());

    /// <summary>Why the path cannot be read as a staging file (not a regular file, missing), or null when it can.</summary>
    public static unsafe string? Refusal(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return File.Exists(path) ? null : "the file does not exist";
        }
        stat st;
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        int rc;
        fixed (byte* p = bytes)
        {
            // stat, not lstat: a link to a regular file is fine, a link to /dev/zero is not.
            rc = LibC.stat(p, &st);
        }
        if (rc != 0)
        {
            return "the file does not exist or cannot be inspected";
        }
        if (LibC.S_ISREG(st.st_mode))
        {
            return st.st_size == 0 ? "the file is empty (0 bytes): a staging file starts with its header line" : null;
        }
        var kind = LibC.S_ISFIFO(st.st_mode) ? "a FIFO"
            : LibC.S_ISCHR(st.st_mode) ? "a character device"
            : LibC.S_ISDIR(st.st_mode) ? "a directory"
            : LibC.S_ISBLK(st.st_mode) ? "a block device"
            : LibC.S_ISSOCK(st.st_mode) ? "a socket"
            : "not a regular file";
        return $"it is {kind}, not a regular file: only regular files are loaded";
    }

    public static bool IsGzip(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The decompressed bytes; a gzip file that ends early or fails its checks throws <see cref="InvalidDataException"/>
    /// naming it.
    /// </summary>
    public static Stream OpenBytes(string path)
    {
        var file = OpenFile(path);
        return Decompressed(path, file, file);
    }

    /// <summary>The file as text: UTF-8, a BOM skipped, invalid bytes decoded as <see cref="InvalidByte"/>.</summary>
    public static TextReader OpenText(string path) => Text(OpenBytes(path));

    /// <summary>
    /// As <see cref="OpenText(string)"/>, and <paramref name="hashed"/> gives the file's SHA-256 (of its own bytes,
    /// compressed or not) once the text has been read: one read of the file serves both.
    /// </summary>
    public static TextReader OpenText(string path, out HashingReadStream hashed)
    {
        var file = OpenFile(path);
        hashed = new HashingReadStream(file);
        return Text(Decompressed(path, file, hashed));
    }

    private static FileStream OpenFile(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    private static Stream Decompressed(string path, FileStream file, Stream raw)
    {
        try
        {
            return IsGzip(path) ? new VerifiedGzipStream(file, raw, Path.GetFileName(path)) : raw;
        }
        catch
        {
            raw.Dispose();
            file.Dispose();
            throw;
        }
    }

    private static StreamReader Text(Stream bytes) => new(bytes, Utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);

    /// <summary>The text holds something no valid row may: an invalid UTF-8 byte or a NUL (PostgreSQL text cannot store NUL).</summary>
    public static bool HasBadText(ReadOnlySpan<char> text) => text.IndexOfAny(InvalidByte, '\0') >= 0;

    public static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var s = OpenFile(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(s, ct));
    }

    private sealed class MarkInvalidBytes : DecoderFallback
    {
        public override int MaxCharCount => 1;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer();

        private sealed class Buffer : DecoderFallbackBuffer
        {
            private int _left;

            public override int Remaining => _left;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                _left = 1;
                return true;
            }

            public override char GetNextChar()
            {
                if (_left == 0)
                {
                    return '\0';
                }
                _left--;
                return InvalidByte;
            }

            public override bool MovePrevious()
            {
                if (_left == 1)
                {
                    return false;
                }
                _left = 1;
                return true;
            }

            public override void Reset() => _left = 0;
        }
    }
}

/// <summary>
/// GZipStream stops silently at a truncated end; this one checks the member's trailer (CRC-32 and length of the
/// decompressed data) when the data ends, and names the file in every failure.
/// </summary>
internal sealed class VerifiedGzipStream : ForwardReadStream
{
    private readonly FileStream _file;
    private readonly GZipStream _gzip;
    private readonly string _name;
    private readonly System.IO.Hashing.Crc32 _crc = new();
    private readonly uint _expectedCrc;
    private readonly uint _expectedLength;
    private long _length;
    private bool _verified;

    /// <summary>Decompresses <paramref name="source"/>, the forward read of <paramref name="file"/> (which may hash it).</summary>
    public VerifiedGzipStream(FileStream file, Stream source, string name)
    {
        _file = file;
        _name = name;
        // Header (10 bytes) + empty deflate block (2) + trailer (8) is the smallest gzip file. Positional reads leave
        // the forward read (and so any hash of it) untouched.
        Span<byte> head = stackalloc byte[2];
        var length = file.Length;
        if (length < 20 || RandomAccess.Read(file.SafeFileHandle, head, 0) != 2 || head[0] != 0x1f || head[1] != 0x8b)
        {
            throw new InvalidDataException(
                $"{name} is not a gzip file (its first bytes are not a gzip header): name it .csv if it is plain text, or compress it "
                    + $"with gzip.");
        }
        Span<byte> trailer = stackalloc byte[8];
        if (RandomAccess.Read(file.SafeFileHandle, trailer, length - 8) != 8)
        {
            throw new InvalidDataException($"{name} is truncated: its gzip trailer cannot be read. Copy or regenerate the file.");
        }
        _expectedCrc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        _expectedLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        _gzip = new GZipStream(source, CompressionMode.Decompress, leaveOpen: false);
    }

    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = _gzip.Read(buffer);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException(
                $"{_name} is corrupt: its compressed data cannot be read ({e.Message}). Copy or regenerate the file.", e);
        }
        if (n > 0)
        {
            _crc.Append(buffer[..n]);
            _length += n;
        }
        else if (buffer.Length > 0 && !_verified)
        {
            Verify();
        }
        return n;
    }

    private void Verify()
    {
        _verified = true;
        if (_crc.GetCurrentHashAsUInt32() != _expectedCrc || (uint)_length != _expectedLength)
        {
            throw new InvalidDataException(
                $"{_name} is truncated or corrupt: its decompressed data does not match the gzip trailer (CRC-32 and length); "
                + "nothing from it was loaded. " +
                "Copy or regenerate the file (files of several concatenated gzip members are not supported: recompress them as one).");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
            _file.Dispose();
        }
        base.Dispose(disposing);
    }
}
