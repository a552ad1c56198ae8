using System.CommandLine;
using System.Globalization;
using Retail.Data.Configuration;
using Retail.Data.Loading;
using Spectre.Console;

namespace Retail.Cli.Commands;

/// <summary>retail load — validated, exactly-once bulk load of staging files into the warehouse.</summary>
internal static class LoadCommand
{
    public static Command Create(CliContext ctx)
    {
        var paths = new Argument<string[]>("paths") { Description = "staging files or folders (default: data/raw)",
            Arity = ArgumentArity.ZeroOrMore };
        var maxReject = new Option<double>("--max-reject-rate") { Description = "fail a file whose rejected share of rows exceeds this "
            + "(0..1)", DefaultValueFactory = _ => 0.01 };
        var force = new Option<bool>("--force") { Description = "reload files already loaded, replacing exactly the earlier batch of the "
            + "same file name (e.g. with a corrected file)" };
        var timings = new Option<bool>("--timings") { Description = "print where the time went, phase by phase" };
        var parallel = new Option<int>("--parallel") { Description = "files loaded at once over separate connections",
            DefaultValueFactory = _ => Environment.ProcessorCount };

        var cmd = new Command("load",
            "Load staging CSV files into the PostgreSQL warehouse: validated, quarantined, each file exactly once.")
        {
            paths, maxReject, force, parallel, timings,
        };
        cmd.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            using var logs = ctx.Logging(parse);
            var rate = parse.GetValue(maxReject);
            if (rate is < 0 or > 1 || double.IsNaN(rate))
            {
                throw new UsageException($"--max-reject-rate must be a fraction from 0 to 1 (got {rate}).");
            }
            var given = parse.GetValue(paths) is { Length: > 0 } p ? p : [Path.Combine("data", "raw")];
            var files = WarehouseLoader.ResolveFiles(given.Select(x => Path.GetFullPath(x, ctx.WorkingDirectory)));
            var endpoint = await ctx.PrepareWarehouseAsync(settings, ct);
            await using var db = endpoint.CreateDataSource("retail load");
            var options = new LoadOptions { MaxRejectRate = rate, Force = parse.GetValue(force),
                Parallelism = Math.Max(1, parse.GetValue(parallel)) };
            // Once reached, an outage is waited out file by file (TransientRetry.OutageBudget).
            var loader = new WarehouseLoader(db, ctx.Clock, logs.CreateLogger("retail.load"), TransientRetry.ForOutages(ctx.Clock));
            var report = await RunAsync(ctx, loader, files, options, ct);
            var exit = await PrintAsync(ctx, report);
            if (parse.GetValue(timings) && report.Timings is { } t)
            {
                await PrintTimingsAsync(ctx, t, report.Elapsed);
            }
            await ctx.NextAsync(exit == RetailCli.Ok
                ? $"{ctx.Command("check")} (data-quality checks), then {ctx.Command("dashboard")} (serves "
                    + $"{Dashboard.DashboardOptions.DefaultUrls})"
                : $"fix or remove the failed files named above, then {ctx.Command("load")} again (files already loaded are skipped)");
            return exit;
        }));
        return cmd;
    }

    public static async Task<LoadReport> RunAsync(CliContext ctx, WarehouseLoader loader, IReadOnlyList<string> files, LoadOptions options,
        CancellationToken ct)
    {
        if (!ctx.Interactive)
        {
            return await loader.LoadAsync(files, options, null, ct);
        }
        LoadReport report = null!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(),
                new SpinnerColumn())
            .StartAsync(async c =>
            {
                var task = c.AddTask("loading", maxValue: Math.Max(1, files.Count));
                var started = ctx.Clock.GetTimestamp();
                var progress = new Progress<LoadProgress>(p =>
                {
                    task.Value = p.FilesDone;
                    var rate = p.RowsDone / Math.Max(ctx.Clock.GetElapsedTime(started).TotalSeconds, 1e-3);
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"loading {p.FilesDone}/{p.FilesTotal} files, {p.RowsDone:N0} rows ({rate:N0} rows/s)");
                });
                report = await loader.LoadAsync(files, options, progress, ct);
            });
        return report;
    }

    private static async Task PrintTimingsAsync(CliContext ctx, LoadTimings timings, TimeSpan elapsed)
    {
        await ctx.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"where the time went ({elapsed.TotalSeconds:F2} s in all; indented rows are summed over files loaded in parallel):"));
        foreach (var phase in LoadTimings.Order)
        {
            var indent = LoadTimings.IsPerFile(phase) ? "    " : "  ";
            await ctx.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{indent}{timings[phase].TotalSeconds,8:F2} s  {LoadTimings.Describe(phase)}"));
        }
    }

    public static async Task<int> PrintAsync(CliContext ctx, LoadReport report)
    {
        var seconds = Math.Max(report.Elapsed.TotalSeconds, 1e-6);
        await ctx.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"files: {report.Loaded} loaded{(report.Empty > 0 ? $" ({report.Empty} with no sales rows: closed days)" : "")}, "
                + $"{report.Skipped} skipped (already loaded), {report.Failed} failed; rows: {report.RowsLoaded:N0} loaded, "
                + $"{report.RowsRejected:N0} rejected (see ops.rejected_rows); {seconds:F1}s, {report.RowsLoaded / seconds:N0} rows/s"));
        if (report.Warning is { } warning)
        {
            await ctx.Err.WriteLineAsync($"warning: {warning}");
        }
        foreach (var f in report.Files.Where(f => f.Outcome == FileOutcome.Failed))
        {
            await ctx.Err.WriteLineAsync($"error: {Path.GetFileName(f.Path)}: {f.Error}");
        }
        return report.Succeeded ? RetailCli.Ok : RetailCli.Failed;
    }
}
