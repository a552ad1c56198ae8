using System.CommandLine;
using System.Globalization;
using Retail.Core.Formats;
using Retail.Core.Generation;
using Retail.Dashboard;
using Retail.Data.Loading;
using Retail.Data.Quality;
using Retail.Pipeline.Staging;

namespace Retail.Cli.Commands;

/// <summary>
/// retail demo — the whole flow on the embedded database: generate a year (1M rows, fixed seed), load it,
/// check it, serve the dashboard. Run again, it reuses the files and the exactly-once loads, and starts in seconds.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext ctx)
    {
        var rows = new Option<long>("--rows") { Description = "rows to generate", DefaultValueFactory = _ => 1_000_000 };
        var urls = DashboardCommand.UrlsOption();
        var noServe = new Option<bool>("--no-serve") { Description = "stop after the checks (do not serve the dashboard)" };
        var cmd = new Command("demo",
            "Generate a year of sales, load it, check it and serve the dashboard — the whole pipeline in one command.")
        {
            rows, urls, noServe,
        };
        cmd.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            // Before generating a million rows: a missing PostgreSQL or tz database must stop us first.
            Prerequisites.RequireDatabase(settings);
            Prerequisites.RequireTimeZone();
            var started = ctx.Clock.GetTimestamp();
            var (from, to) = GenerateCommand.DefaultRange(ctx.Clock);
            var options = new GeneratorOptions(parse.GetValue(rows), GeneratorOptions.DefaultSeed, from, to);
            if (options.Problem() is { } problem)
            {
                throw new UsageException(problem);
            }
            var dir = Path.Combine(ctx.WorkingDirectory, "data", "raw");

            var manifest = ExistingManifest(dir, options);
            if (manifest is null)
            {
                await ctx.Out.WriteLineAsync($"1/4 generating {options.Rows:N0} rows for {from:yyyy-MM-dd}..{to:yyyy-MM-dd} into {dir}");
                manifest = await new StagingWriter(SalesGenerator.Create(options), dir, gzip: false,
                    Environment.ProcessorCount).WriteAsync(null, ct);
            }
            else
            {
                (from, to) = (manifest.Arguments.From, manifest.Arguments.To);
                await ctx.Out.WriteLineAsync($"1/4 staging files for {from:yyyy-MM-dd}..{to:yyyy-MM-dd} already generated in {dir}");
            }

            var endpoint = await ctx.PrepareWarehouseAsync(settings, ct);
            await ctx.Out.WriteLineAsync($"2/4 loading into {endpoint.Url}");
            await using var db = endpoint.CreateDataSource("retail demo");
            var files = manifest.Files.Select(f => Path.Combine(dir, f.File)).ToList();
            var loader = new WarehouseLoader(db, ctx.Clock, retry: Data.Configuration.TransientRetry.ForOutages(ctx.Clock));
            var report = await loader.LoadAsync(files, new LoadOptions(), null, ct);
            if (await LoadCommand.PrintAsync(ctx, report) != RetailCli.Ok)
            {
                return RetailCli.Failed;
            }

            await ctx.Out.WriteLineAsync("3/4 data-quality checks");
            var checks = await new QualityChecks(db, ctx.Clock).RunAsync(from, to, null, null, includeUnpublished: false, ct);
            CheckCommand.Print(ctx, checks);
            var passed = checks.Count(c => c.Passed);
            var ok = !checks.Any(c => c.Failed);
            await ctx.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"pipeline done in {ctx.Elapsed(started)}: {report.RowsLoaded:N0} rows loaded now, {passed}/{checks.Count} checks passed"));
            if (parse.GetValue(noServe))
            {
                await ctx.NextAsync(ok
                    ? $"{ctx.Command("dashboard")} (serves {DashboardOptions.DefaultUrls}; Ctrl+C stops it)"
                    : $"see the failing checks above ({ctx.Command("check")} repeats them); {ctx.Command("dashboard")} still serves what "
                        + $"is loaded");
                return ok ? RetailCli.Ok : RetailCli.Failed;
            }
            await ctx.Out.WriteLineAsync("4/4 dashboard");
            await DashboardCommand.ServeAsync(ctx, endpoint, parse.GetValue(urls)!, ct);
            return RetailCli.Ok;
        }));
        return cmd;
    }

    /// <summary>
    /// The demo data set already in the folder, when it was made with these rows and seed and its files are intact.
    /// Its dates are kept even when "the last 365 days" has moved on: regenerating a shifted range would give
    /// overlapping days other contents, which the warehouse would rightly refuse as duplicates.
    /// </summary>
    private static Manifest? ExistingManifest(string dir, GeneratorOptions options)
    {
        var path = Path.Combine(dir, Manifest.FileName);
        if (!File.Exists(path))
        {
            return null;
        }
        using var s = File.OpenRead(path);
        var m = Manifest.ReadFrom(s);
        var a = m.Arguments;
        var same = a.Rows == options.Rows && a.Seed == options.Seed && a.Dirty == 0 && !a.Gzip && m.Version == Manifest.GeneratorVersion;
        return same && m.Files.All(f => new FileInfo(Path.Combine(dir, f.File)) is { Exists: true } fi && fi.Length == f.Bytes) ? m : null;
    }
}
