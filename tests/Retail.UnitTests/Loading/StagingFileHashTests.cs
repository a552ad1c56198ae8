using System.IO.Compression;
using System.Text;
using Retail.Data.Loading;

namespace Retail.UnitTests.Loading;

/// <summary>The pass that reads a staging file's text also hashes it: the same SHA-256 a separate read of the file gives.</summary>
public sealed class StagingFileHashTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("retail-hash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly string Text = "transaction_id,line_no\n" + string.Concat(Enumerable.Range(1, 20_000).Select(i => $"{i},1\n"));

    private async Task<(string Read, string Hash, string Separate)> ReadAndHash(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        await File.WriteAllBytesAsync(path, bytes);
        string read, hash;
        using (var text = StagingFile.OpenText(path, out var hashed))
        {
            read = await text.ReadToEndAsync();
            hash = hashed.Finish();
        }
        return (read, hash, await StagingFile.Sha256Async(path, CancellationToken.None));
    }

    private static byte[] Gzip(string text, byte[]? after = null)
    {
        using var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(Encoding.UTF8.GetBytes(text));
        }
        buffer.Write(after ?? []);
        return buffer.ToArray();
    }

    [Fact]
    public async Task A_plain_file_is_hashed_in_the_read_of_its_text()
    {
        var (read, hash, separate) = await ReadAndHash("plain.csv", Encoding.UTF8.GetBytes(Text));
        Assert.Equal(Text, read);
        Assert.Equal(separate, hash);
    }

    [Fact]
    public async Task A_gzip_file_is_hashed_over_its_compressed_bytes_in_the_read_of_its_text()
    {
        var (read, hash, separate) = await ReadAndHash("zipped.csv.gz", Gzip(Text));
        Assert.Equal(Text, read);
        Assert.Equal(separate, hash);
    }

    [Fact]
    public async Task A_text_read_that_stops_early_still_hashes_the_whole_file()
    {
        var path = Path.Combine(_dir, "partial.csv");
        await File.WriteAllTextAsync(path, Text);
        using var text = StagingFile.OpenText(path, out var hashed);
        Assert.Equal("transaction_id,line_no", await text.ReadLineAsync());
        Assert.Equal(await StagingFile.Sha256Async(path, CancellationToken.None), hashed.Finish());
    }
}
