using System.Security.Cryptography;

namespace Retail.Data.Loading;

/// <summary>
/// A forward-only view of a file that feeds every byte read to SHA-256, so the pass that parses a staging file also
/// yields the file's identity (the same hash a separate read of the file gives). The hash is taken when the reads
/// reach the end of the file (a reader may close the stream as soon as it has), or by <see cref="Finish"/>, which
/// reads what a parser left unread.
/// </summary>
internal sealed class HashingReadStream(Stream file) : ForwardReadStream
{
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string? _hash;

    public override int Read(Span<byte> buffer)
    {
        var n = file.Read(buffer);
        if (n > 0)
        {
            _sha.AppendData(buffer[..n]);
        }
        else if (buffer.Length > 0)
        {
            _hash ??= Convert.ToHexStringLower(_sha.GetHashAndReset());
        }
        return n;
    }

    /// <summary>The lower-case hex SHA-256 of the whole file, reading whatever is left of it first.</summary>
    public string Finish()
    {
        Span<byte> rest = stackalloc byte[8192];
        while (_hash is null && Read(rest) > 0)
        {
        }
        return _hash ?? throw new InvalidOperationException("the file was closed before it was read to the end");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha.Dispose();
            file.Dispose();
        }
        base.Dispose(disposing);
    }
}
