using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Npgsql;
using Retail.Core.Formats;
using Retail.Data.Configuration;
using Retail.Data.Loading;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Warehouse;

/// <summary>Files a hostile or unlucky user hands the loader: each gets its own verdict, and the good ones still load.</summary>
[Collection(PostgresCollection.Name)]
public sealed class HostileFileTests(PostgresFixture pg) : IAsyncLifetime
{
    private readonly FreshWarehouses _fresh = new(pg, "hostile");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fresh.DisposeAsync();

    private const string Line = "{0},{1},2025-03-{2:00}T10:00:00+00:00,HEN,Argos Hendon,Hendon,X{3},Thing "
        + "{3},Toys,Games,Acme,1,5.00,0.00,5.00,card,in_store,,,";

    private static string Row(long transaction, int line = 1, int day = 3,
        int sku = 1) => string.Format(System.Globalization.CultureInfo.InvariantCulture, Line, transaction, line, day, sku);

    /// <summary>A valid staging file of <paramref name="rows"/> one-line receipts.</summary>
    private static string Valid(int rows, long firstTransaction, int day = 3) =>
        SalesCsv.Header + "\r\n" + string.Concat(Enumerable.Range(0, rows).Select(i => Row(firstTransaction + i, day: day) + "\r\n"));

    private static byte[] Gzip(string text)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(Encoding.UTF8.GetBytes(text));
        }
        return ms.ToArray();
    }

    private Task<(NpgsqlDataSource Db, DatabaseSettings Settings)> FreshWarehouse() => _fresh.CreateAsync();

    private static Task<LoadReport> Load(NpgsqlDataSource db, string path, LoadOptions? options = null) =>
        SchemaThenLoad.LoadAsync(db, path, options);

    [Fact]
    public async Task A_truncated_corrupt_or_fake_gzip_fails_its_file_and_the_whole_file_then_loads()
    {
        using var dir = new TempDir();
        var (db, _) = await FreshWarehouse();
        await using var _db = db;
        var whole = Gzip(Valid(1_030, 1000));
        var file = Path.Combine(dir.Path, "sales_2025-03-03.csv.gz");

        await File.WriteAllBytesAsync(file, whole[..(whole.Length * 6 / 10)]);
        var truncated = await Load(db, file, new LoadOptions { MaxRejectRate = 0 });
        Assert.Equal(FileOutcome.Failed, truncated.Files[0].Outcome);
        Assert.Contains("sales_2025-03-03.csv.gz is truncated or corrupt", truncated.Files[0].Error);

        var corrupt = (byte[])whole.Clone();
        corrupt[^8] ^= 0xFF; // the CRC-32 in the trailer
        await File.WriteAllBytesAsync(file, corrupt);
        var crc = (await Load(db, file)).Files[0];
        Assert.Equal(FileOutcome.Failed, crc.Outcome);
        Assert.StartsWith("sales_2025-03-03.csv.gz is", crc.Error);
        Assert.Contains("corrupt", crc.Error);

        await File.WriteAllTextAsync(file, Valid(10, 5000));
        Assert.Contains("sales_2025-03-03.csv.gz is not a gzip file", (await Load(db, file)).Files[0].Error);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales"));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM ops.load_batches WHERE status = 'failed'"));

        // Nothing was half-loaded, so the complete file loads whole, not as "58% duplicates".
        await File.WriteAllBytesAsync(file, whole);
        var complete = await Load(db, file, new LoadOptions { MaxRejectRate = 0 });
        Assert.Equal(FileOutcome.Loaded, complete.Files[0].Outcome);
        Assert.Equal(1_030, complete.RowsLoaded);
    }

    [Fact]
    public async Task One_bad_file_never_stops_the_good_ones_each_gets_a_verdict_and_the_exit_code_says_so()
    {
        using var dir = new TempDir();
        var (db, settings) = await FreshWarehouse();
        await using var _db = db;
        for (var day = 3; day <= 5; day++)
        {
            await File.WriteAllTextAsync(Path.Combine(dir.Path, $"sales_2025-03-0{day}.csv"), Valid(1_000, day * 10_000L, day));
        }
        // No header (its first line is data, with repeated "column names").
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "bad_noheader.csv"),
            string.Concat(Enumerable.Range(0, 3).Select(i => Row(90_000 + i) + "\r\n")));
        // A record beyond 16 MiB.
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "bad_huge.csv"),
            SalesCsv.Header + "\r\n\"" + new string('x', 17 << 20) + "\r\n");
        // A NUL in a new product's name: the row is quarantined, the rest of that file loads.
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "bad_nul.csv"),
            SalesCsv.Header + "\r\n" + Row(91_000, sku: 7).Replace("Thing 7", "Thi\0ng", StringComparison.Ordinal) + "\r\n" + Row(91_001,
            sku: 8) + "\r\n");
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "bad_fake.csv.gz"), Valid(5, 92_000));
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(dir.Path, "bad_fifo.csv")]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        File.CreateSymbolicLink(Path.Combine(dir.Path, "bad_zero.csv"), "/dev/zero");

        var run = await CliProcess.RunAsync(dir.Path, CliProcess.Env(settings), "load", dir.Path, "--max-reject-rate", "0.5");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("failed", run.Stdout);
        Assert.Equal(3_001L, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales"));
        var verdicts = new Dictionary<string, (string Status, string? Error)>();
        await using (var cmd = db.CreateCommand("SELECT file_name, status, error FROM ops.load_batches"))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                verdicts[r.GetString(0)] = (r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2));
            }
        }
        Assert.Equal(9, verdicts.Count);
        Assert.All(new[] { "sales_2025-03-03.csv", "sales_2025-03-04.csv", "sales_2025-03-05.csv", "bad_nul.csv" },
            f => Assert.Equal("loaded", verdicts[f].Status));
        Assert.Contains("expected the header", verdicts["bad_noheader.csv"].Error);
        Assert.Contains("longer than 16 MiB", verdicts["bad_huge.csv"].Error);
        Assert.Contains("not a gzip file", verdicts["bad_fake.csv.gz"].Error);
        Assert.Contains("a FIFO, not a regular file", verdicts["bad_fifo.csv"].Error);
        Assert.Contains("a character device, not a regular file", verdicts["bad_zero.csv"].Error);
        Assert.Equal("encoding: the line holds a NUL character",
            await db.ScalarAsync<string>("SELECT reason FROM ops.rejected_rows WHERE line_no = 2"));
        // Every failed file is named on stderr, one line each.
        foreach (var bad in new[] { "bad_noheader.csv", "bad_huge.csv", "bad_fake.csv.gz", "bad_fifo.csv", "bad_zero.csv" })
        {
            Assert.Contains($"error: {bad}:", run.Stderr);
        }
    }

    [Fact]
    public async Task An_unterminated_quote_fails_its_file_instead_of_swallowing_the_rows_after_it()
    {
        using var dir = new TempDir();
        var (db, _) = await FreshWarehouse();
        await using var _db = db;
        var rows = Enumerable.Range(0, 600).Select(i => Row(1000 + i)).ToArray();
        rows[70] = rows[70].Replace("Thing 1", "\"Thing 1", StringComparison.Ordinal);
        var file = Path.Combine(dir.Path, "sales_2025-03-03.csv");
        await File.WriteAllTextAsync(file, SalesCsv.Header + "\r\n" + string.Join("\r\n", rows) + "\r\n");
        var report = await Load(db, file, new LoadOptions { MaxRejectRate = 1 });
        Assert.Equal(FileOutcome.Failed, report.Files[0].Outcome);
        Assert.Contains("line 72: a quoted field is not closed", report.Files[0].Error);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales"));

        // A quote closed on the next line is a legitimate two-line record, and nothing is lost around it.
        rows[70] = rows[70].Replace("\"Thing 1", "\"Thing\r\n1\"", StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, SalesCsv.Header + "\r\n" + string.Join("\r\n", rows) + "\r\n");
        var fixedReport = await Load(db, file, new LoadOptions { MaxRejectRate = 0 });
        Assert.Equal(600, fixedReport.RowsLoaded);
        Assert.Equal(0, fixedReport.RowsRejected);
    }

    [Fact]
    public async Task A_stray_far_future_row_gets_its_partition_first_and_the_exit_code_matches_what_committed()
    {
        using var dir = new TempDir();
        var (db, settings) = await FreshWarehouse();
        await using var _db = db;
        var file = Path.Combine(dir.Path, "sales_2025-03-03.csv");
        await File.WriteAllTextAsync(file,
            Valid(1_029, 1000) + Row(5000).Replace("2025-03-03", "2031-07-14", StringComparison.Ordinal) + "\r\n");
        var run = await CliProcess.RunAsync(dir.Path, CliProcess.Env(settings), "load", file);
        Assert.True(run.ExitCode == 0, run.All);
        Assert.Equal(1_030L, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales_p2031_07"));
        Assert.DoesNotContain("error", run.All, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_literal_replacement_character_is_valid_text_but_an_invalid_byte_is_not()
    {
        using var dir = new TempDir();
        var (db, _) = await FreshWarehouse();
        await using var _db = db;
        var file = Path.Combine(dir.Path, "sales_2025-03-03.csv");
        var text = SalesCsv.Header + "\r\n" + Row(1000, sku: 3).Replace("Thing 3", "Thing \uFFFD",
            StringComparison.Ordinal) + "\r\n" + Row(1001, sku: 4) + "\r\n";
        var bytes = Encoding.UTF8.GetBytes(text).ToList();
        bytes.InsertRange(bytes.Count - 2 - 10, [0xE9]); // a stray Latin-1 'é' inside the last row
        await File.WriteAllBytesAsync(file, bytes.ToArray());
        var report = await Load(db, file, new LoadOptions { MaxRejectRate = 1 });
        Assert.Equal(1, report.RowsLoaded);
        Assert.Equal("Thing \uFFFD", await db.ScalarAsync<string>("SELECT product_name FROM marts.dim_product WHERE sku = 'X3'"));
        Assert.Equal("encoding: the line is not valid UTF-8", await db.ScalarAsync<string>("SELECT reason FROM ops.rejected_rows"));
    }
}
