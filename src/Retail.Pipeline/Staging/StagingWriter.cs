using System.IO.Compression;
using System.Security.Cryptography;
using Retail.Core.Formats;
using Retail.Core.Generation;

namespace Retail.Pipeline.Staging;

/// <summary>Progress of a generation, reported per finished day.</summary>
public readonly record struct GenerateProgress(long RowsWritten, long RowsTotal, int FilesWritten, int FilesTotal);

/// <summary>
/// Writes a generator's days as staging files (one per sale date) plus manifest.json. Each file is written under a
/// temporary name and renamed only when complete, and the manifest comes last, so an interrupted run never leaves
/// a file that looks finished.
/// </summary>
public sealed class StagingWriter(SalesGenerator generator, string outputDirectory, bool gzip, int maxParallelism)
{
    public async Task<Manifest> WriteAsync(IProgress<GenerateProgress>? progress, CancellationToken ct)
    {
        Directory.CreateDirectory(outputDirectory);
        var days = generator.Days;
        var results = new GeneratedDay[days.Count];
        var files = new ManifestFile[days.Count];
        long written = 0;
        var filesDone = 0;
        var total = generator.Options.Rows;

        try
        {
            await Parallel.ForEachAsync(
                days,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxParallelism), CancellationToken = ct },
                async (day, token) =>
                {
                    var name = SalesCsv.FileName(day.Date, gzip);
                    var (result, file) = await WriteDayAsync(day, name, token);
                    results[day.Index] = result;
                    files[day.Index] = file;
                    progress?.Report(new GenerateProgress(Interlocked.Add(ref written, result.Rows), total,
                        Interlocked.Increment(ref filesDone), days.Count));
                });
        }
        finally
        {
            foreach (var tmp in Directory.EnumerateFiles(outputDirectory, "*.tmp"))
            {
                File.Delete(tmp);
            }
        }

        var o = generator.Options;
        var manifest = new Manifest
        {
            Arguments = new ManifestArguments(o.Rows, o.Seed, o.From, o.To, o.DirtyRate, gzip, generator.Customers.Size),
            Totals = new ManifestTotals(results.Sum(r => r.Rows), results.Sum(r => r.ValidRows), results.Sum(r => r.Units),
                results.Sum(r => r.RevenuePence)),
            Files = files,
            ControlTotals = results.SelectMany(r => r.ControlTotals).ToList(),
            Faults = results.SelectMany(r => r.Faults).ToList(),
        };
        var manifestPath = Path.Combine(outputDirectory, Manifest.FileName);
        var tmpManifest = manifestPath + ".tmp";
        try
        {
            await using (var stream = File.Create(tmpManifest))
            {
                manifest.WriteTo(stream);
            }
            File.Move(tmpManifest, manifestPath, overwrite: true);
        }
        catch
        {
            // Out of disk, say: no half-written manifest left behind to be mistaken for one.
            File.Delete(tmpManifest);
            throw;
        }
        return manifest;
    }

    private async Task<(GeneratedDay, ManifestFile)> WriteDayAsync(DayPlan day, string name, CancellationToken ct)
    {
        var finalPath = Path.Combine(outputDirectory, name);
        var tmpPath = finalPath + ".tmp";
        GeneratedDay result;
        byte[] hash;
        long bytes;
        // Unbuffered: the CSV writer already writes in 64 KiB blocks.
        await using (var file = new FileStream(tmpPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var hashing = new HashingStream(file, sha))
            {
                if (gzip)
                {
                    await using var gz = new GZipStream(hashing, CompressionLevel.Fastest, leaveOpen: true);
                    result = generator.WriteDay(day, name, gz, ct);
                }
                else
                {
                    result = generator.WriteDay(day, name, hashing, ct);
                }
            }
            hash = sha.GetHashAndReset();
            bytes = file.Length;
        }
        ct.ThrowIfCancellationRequested();
        File.Move(tmpPath, finalPath, overwrite: true);
        return (result, new ManifestFile(name, day.Date, result.Rows, bytes, Convert.ToHexStringLower(hash)));
    }

    /// <summary>Write-through stream that hashes exactly the bytes that reach the file.</summary>
    private sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.AppendData(buffer);
            inner.Write(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            // The file stream belongs to the caller.
            inner.Flush();
            base.Dispose(disposing);
        }
    }
}
