using System.Net.Sockets;
using Retail.Core.Generation;
using Retail.Data.Configuration;
using Retail.Data.Embedded;
using Retail.Data.Loading;
using Retail.Pipeline.Staging;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Warehouse;

/// <summary>The database goes away under a load, or the generator's disk does: waited out, or reported plainly.</summary>
public sealed class OutageTests
{
    [Fact]
    public async Task A_load_waits_out_a_database_restart_and_finishes_exactly()
    {
        using var dir = new TempDir();
        var manifest = await new StagingWriter(SalesGenerator.Create(new GeneratorOptions(6_000, 7, new DateOnly(2025, 3, 1),
            new DateOnly(2025, 3, 6), 0)), dir.Path, false, 2)
            .WriteAsync(null, CancellationToken.None);
        var home = Path.Combine("/tmp", $"retail-emb-{Guid.NewGuid():N}"[..22]);
        var settings = new DatabaseSettings { RetailHome = home, Name = "outage" };
        var cluster = new EmbeddedCluster(settings, new Dictionary<string, string> { ["fsync"] = "off" });
        try
        {
            var port = await cluster.StartAsync(CancellationToken.None);
            await using var db = new WarehouseEndpoint(settings, EmbeddedCluster.Host, port).CreateDataSource();
            await Retail.Data.Warehouse.WarehouseSchema.ApplyAsync(db, CancellationToken.None);
            // After the first file, the server stops; it comes back 6 s later (beyond the old 3.5 s retry budget), while
            // the loader is retrying.
            var restarted = Task.CompletedTask;
            var stopper = new StopOnce(() =>
            {
                Assert.True(cluster.StopAsync(CancellationToken.None).GetAwaiter().GetResult());
                restarted = Task.Run(async () =>
                {
                    await Task.Delay(6_000);
                    await cluster.StartAsync(CancellationToken.None);
                });
            });
            // The retry the CLI's load command gives the loader: outages waited out file by file.
            var loader = new WarehouseLoader(db, TimeProvider.System,
                retry: Retail.Data.Configuration.TransientRetry.ForOutages(TimeProvider.System));
            var report = await loader.LoadAsync(WarehouseLoader.ResolveFiles([dir.Path]), new LoadOptions { Parallelism = 1 }, stopper,
                CancellationToken.None);
            await restarted;
            Assert.True(stopper.Stopped);
            Assert.True(report.Succeeded, string.Join("; ", report.Files.Select(f => f.Error)));
            Assert.Equal(manifest.Files.Count, report.Loaded);
            Assert.Equal(manifest.Totals.Rows, await db.ScalarAsync<long>("SELECT count(*) FROM marts.fct_sales"));
        }
        finally
        {
            await cluster.StopAsync(CancellationToken.None);
            Directory.Delete(home, recursive: true);
        }
    }

    private sealed class StopOnce(Action stop) : IProgress<LoadProgress>
    {
        public bool Stopped { get; private set; }

        public void Report(LoadProgress value)
        {
            if (!Stopped && value.FilesDone == 1)
            {
                Stopped = true;
                stop();
            }
        }
    }

    [Fact]
    public void Connection_failures_say_what_failed_and_what_to_do_for_the_embedded_cluster_and_a_server()
    {
        var embedded = new WarehouseEndpoint(new DatabaseSettings(), "127.0.0.1", 5999);
        var external = new WarehouseEndpoint(new DatabaseSettings { Host = "db.example" }, "db.example", 5432);
        Assert.Contains("./retail db start", embedded.Describe(new SocketException((int)SocketError.ConnectionRefused)));
        Assert.Contains("Check DB_HOST and DB_PORT", external.Describe(new SocketException((int)SocketError.ConnectionRefused)));
        Assert.StartsWith("timed out waiting for the embedded PostgreSQL at 127.0.0.1:5999",
            embedded.Describe(new TimeoutException("The operation has timed out.")));
        Assert.StartsWith("timed out waiting for PostgreSQL at db.example:5432",
            external.Describe(new Npgsql.NpgsqlException("Exception while reading from stream",
            new TimeoutException("The operation has timed out."))));
        // As the server said it when a 100M-line load filled the disk (2026-12-07).
        var full = new Npgsql.PostgresException("could not write to file \"pg_wal/xlogtemp.24285\": No space left on device", "ERROR",
            "ERROR", Npgsql.PostgresErrorCodes.DiskFull);
        Assert.StartsWith("the embedded PostgreSQL at 127.0.0.1:5999 ran out of disk space (could not write", embedded.Describe(full));
        Assert.Contains("RETAIL_HOME", embedded.Describe(full));
        Assert.Contains("free space on the server", external.Describe(full));
    }

    [Fact]
    public async Task A_generator_that_cannot_write_its_manifest_leaves_no_half_written_one()
    {
        using var dir = new TempDir();
        // manifest.json as a folder: writing the manifest fails after its temporary file exists, as a full disk would.
        Directory.CreateDirectory(Path.Combine(dir.Path, "manifest.json"));
        var writer = new StagingWriter(SalesGenerator.Create(new GeneratorOptions(100, 7, new DateOnly(2025, 3, 1),
            new DateOnly(2025, 3, 2), 0)), dir.Path, false, 1);
        await Assert.ThrowsAnyAsync<IOException>(() => writer.WriteAsync(null, CancellationToken.None));
        Assert.False(File.Exists(Path.Combine(dir.Path, "manifest.json.tmp")));
        Assert.Empty(Directory.EnumerateFiles(dir.Path, "*.tmp"));
    }
}
