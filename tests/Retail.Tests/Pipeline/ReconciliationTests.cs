using Retail.Core.Formats;
using Retail.Data.Queries;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Pipeline;

/// <summary>Reconciliation follows the data: each batch against the control totals recorded with it, from any folder.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ReconciliationTests(PostgresFixture pg)
{
    [Fact]
    public void The_freshness_line_says_reconciled_only_after_a_passing_check_since_the_last_load()
    {
        var load = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal("control totals recorded for 5 of 5 days, not checked since the last load: run ./retail check",
            new ReconciliationStatus(5, 5, "pass", load.AddMinutes(-1)).Describe(load));
        Assert.Equal("control totals recorded for 5 of 5 days, not checked since the last load: run ./retail check",
            new ReconciliationStatus(5, 5, null, null).Describe(load));
        Assert.Equal("reconciled to the penny: 5 of 5 days", new ReconciliationStatus(5, 5, "pass", load.AddMinutes(1)).Describe(load));
        Assert.Equal("reconciliation FAILED: run ./retail check for the details",
            new ReconciliationStatus(5, 5, "fail", load.AddMinutes(1)).Describe(load));
    }

    private static Manifest ReadManifest(string path)
    {
        using var s = File.OpenRead(path);
        return Manifest.ReadFrom(s);
    }

    private static string ReconciliationLine(CliProcess.Result r) =>
        r.Stdout.Split('\n').FirstOrDefault(l => l.Contains("reconciliation",
            StringComparison.Ordinal)) ?? $"(no reconciliation row in: {r.All})";

    [Fact]
    public async Task A_load_then_an_older_day_run_then_check_passes_from_any_folder_and_after_the_staging_files_are_gone()
    {
        using var work = new TempDir();
        using var elsewhere = new TempDir();
        var settings = await pg.CreateDatabaseAsync("recon");
        var env = CliProcess.Env(settings);
        var gen = await CliProcess.RunAsync(work.Path, env, "generate", "--rows", "6000", "--from", "2025-09-01", "--to", "2025-09-07");
        Assert.True(gen.ExitCode == 0, gen.All);
        Assert.Equal(0, (await CliProcess.RunAsync(work.Path, env, "load")).ExitCode);
        var run = await CliProcess.RunAsync(work.Path, env, "run", "--date", "2025-06-01", "--rows-per-day", "800");
        Assert.True(run.ExitCode == 0, run.All);

        var storeDays = ReadManifest(Path.Combine(work.Path, "data", "raw", "manifest.json")).ControlTotals.Count
            + ReadManifest(Path.Combine(work.Path, "data", "runs", "2025-06-01", "manifest.json")).ControlTotals.Count;
        foreach (var folder in new[] { work.Path, elsewhere.Path })
        {
            var check = await CliProcess.RunAsync(folder, env, "check");
            Assert.True(check.ExitCode == 0, check.All);
            Assert.Contains("pass", ReconciliationLine(check));
            Assert.Contains($"8 batches, {storeDays} store-days match to the penny", ReconciliationLine(check));
        }

        // The dashboard's freshness line says how far what it shows is proven.
        await using (var admin = pg.Endpoint(settings).CreateDataSource())
        {
            var freshness = await new SalesQueries(admin).GetFreshnessAsync(CancellationToken.None);
            Assert.Equal("reconciled to the penny: 8 of 8 days", freshness.Reconciliation!.Describe(freshness.LastLoadAt));
        }

        // Staging files cleaned up after loading: the check still reconciles, from the recorded totals.
        Directory.Delete(Path.Combine(work.Path, "data"), recursive: true);
        var after = await CliProcess.RunAsync(work.Path, env, "check");
        Assert.True(after.ExitCode == 0, after.All);
        Assert.Contains("store-days match to the penny", ReconciliationLine(after));

        // And it still catches a fact altered afterwards.
        await using var db = pg.Endpoint(settings).CreateDataSource();
        await using (var cmd = db.CreateCommand("UPDATE marts.fct_sales SET line_total_pence = line_total_pence + 1, unit_price_pence = "
            + "unit_price_pence + 1 WHERE (transaction_id, line_no) = (SELECT transaction_id, line_no FROM marts.fct_sales WHERE "
            + "sale_date = '2025-09-03' AND quantity = 1 LIMIT 1)"))
        {
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }
        var altered = await CliProcess.RunAsync(elsewhere.Path, env, "check");
        Assert.Equal(1, altered.ExitCode);
        Assert.Contains("FAIL", ReconciliationLine(altered));
        Assert.Contains("2025-09-03", ReconciliationLine(altered));
    }

    [Fact]
    public async Task A_file_without_a_manifest_is_unreconciled_never_a_pass_and_a_forced_corrected_file_replaces_its_totals()
    {
        using var work = new TempDir();
        var settings = await pg.CreateDatabaseAsync("unrecon");
        var env = CliProcess.Env(settings);
        Assert.Equal(0,
            (await CliProcess.RunAsync(work.Path, env, "generate", "--rows", "3000", "--from", "2025-09-01", "--to", "2025-09-03", "--out",
            "a")).ExitCode);
        Assert.Equal(0,
            (await CliProcess.RunAsync(work.Path, env, "generate", "--rows", "1500", "--from", "2025-09-01", "--to", "2025-09-03", "--out",
            "b")).ExitCode);
        Directory.CreateDirectory(Path.Combine(work.Path, "bare"));
        File.Copy(Path.Combine(work.Path, "a", "sales_2025-09-03.csv"), Path.Combine(work.Path, "bare", "sales_2025-09-03.csv"));
        File.Delete(Path.Combine(work.Path, "a", "sales_2025-09-03.csv"));
        Assert.Equal(0, (await CliProcess.RunAsync(work.Path, env, "load", "a", "bare")).ExitCode);

        var check = await CliProcess.RunAsync(work.Path, env, "check");
        Assert.True(check.ExitCode == 0, check.All);
        Assert.Contains("unreconciled: 1 batches loaded without a manifest; 2 batches", ReconciliationLine(check));
        Assert.DoesNotContain("pass", ReconciliationLine(check));
        Assert.Equal(1, (await CliProcess.RunAsync(work.Path, env, "check", "--strict")).ExitCode);
        await using (var admin = pg.Endpoint(settings).CreateDataSource())
        {
            var freshness = await new SalesQueries(admin).GetFreshnessAsync(CancellationToken.None);
            Assert.Equal("reconciled to the penny: 2 of 3 days (1 loaded without a manifest)",
                freshness.Reconciliation!.Describe(freshness.LastLoadAt));
        }

        // A corrected day (b's, with its manifest) forced over a's: its recorded totals replace the old ones.
        var forced = await CliProcess.RunAsync(work.Path, env, "load", "--force", Path.Combine("b", "sales_2025-09-02.csv"),
            Path.Combine("b", "sales_2025-09-03.csv"));
        Assert.True(forced.ExitCode == 0, forced.All);
        var again = await CliProcess.RunAsync(work.Path, env, "check", "--strict");
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Contains("3 batches", ReconciliationLine(again));
        await using var db = pg.Endpoint(settings).CreateDataSource();
        var corrected = ReadManifest(Path.Combine(work.Path, "b", "manifest.json"));
        var expectedPence = corrected.ControlTotals.Where(c => c.Date >= new DateOnly(2025, 9, 2)).Sum(c => c.RevenuePence);
        Assert.Equal(expectedPence,
            await db.ScalarAsync<long>("SELECT sum(line_total_pence)::bigint FROM marts.fct_sales WHERE sale_date >= '2025-09-02'"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM ops.load_batches WHERE status = 'replaced'"));
    }
}
