using System.CommandLine;
using System.Globalization;
using Retail.Core;
using Retail.Core.Generation;
using Retail.Pipeline.Staging;
using Spectre.Console;

namespace Retail.Cli.Commands;

/// <summary>retail generate — synthetic, reproducible sales as daily CSV staging files plus a manifest.</summary>
internal static class GenerateCommand
{
    public static Command Create(CliContext ctx)
    {
        var rows = new Option<long>("--rows") { Description = "CSV rows (product lines on receipts) to generate",
            DefaultValueFactory = _ => 1_000_000 };
        var customers = new Option<int?>("--customers") { Description = "loyalty customers to draw from (default: sized to the volume, "
            + "~12 visits each a year)" };
        var seed = new Option<ulong>("--seed") { Description = "master seed: same arguments and seed give byte-identical files",
            DefaultValueFactory = _ => GeneratorOptions.DefaultSeed };
        var from = new Option<DateOnly?>("--from") { Description = "first sale date (default: 365 days before yesterday)" };
        var to = new Option<DateOnly?>("--to") { Description = "last sale date (default: yesterday)" };
        var outDir = new Option<string>("--out") { Description = "output folder", DefaultValueFactory = _ => Path.Combine("data", "raw") };
        var dirty = new Option<double>("--dirty")
        {
            Description = "inject realistic faults at this rate (0..0.5), recorded in the manifest", DefaultValueFactory = _ => 0,
        };
        var gzip = new Option<bool>("--gzip") { Description = "write .csv.gz files" };
        var threads = new Option<int>("--threads") { Description = "days written in parallel (output does not depend on it)",
            DefaultValueFactory = _ => Environment.ProcessorCount };

        var cmd = new Command("generate", "Generate realistic, reproducible sales data as CSV staging files (one per day) with a manifest.")
        {
            rows, seed, from, to, outDir, dirty, gzip, threads, customers,
        };
        cmd.SetAction((parse, ct) => ctx.Guard(parse, async _ =>
        {
            var (defaultFrom, defaultTo) = DefaultRange(ctx.Clock);
            var options = new GeneratorOptions(parse.GetValue(rows), parse.GetValue(seed), parse.GetValue(from) ?? defaultFrom,
                parse.GetValue(to) ?? defaultTo, parse.GetValue(dirty), parse.GetValue(customers));
            if (options.Problem() is { } problem)
            {
                throw new UsageException(problem);
            }
            var dir = Path.GetFullPath(parse.GetValue(outDir)!, ctx.WorkingDirectory);
            Prerequisites.RequireTimeZone();
            EnsureWritable(dir);

            var started = ctx.Clock.GetTimestamp();
            var generator = SalesGenerator.Create(options);
            var writer = new StagingWriter(generator, dir, parse.GetValue(gzip), parse.GetValue(threads));
            var manifest = await Progress.Run(ctx, "generating", options.Rows, (p, token) => writer.WriteAsync(p, token), ct);
            var seconds = ctx.Clock.GetElapsedTime(started).TotalSeconds;
            await ctx.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"generated {manifest.Totals.Rows:N0} rows in {manifest.Files.Count} files ({manifest.Totals.ValidRows:N0} valid, "
                    + $"{manifest.Faults.Count:N0} faults injected), revenue {Money.Format(manifest.Totals.RevenuePence)}, in "
                    + $"{seconds:F1}s ({manifest.Totals.Rows / Math.Max(seconds, 1e-6):N0} rows/s) → {dir}"));
            var load = parse.GetValue(outDir) == Path.Combine("data", "raw") ? "load" : $"load {parse.GetValue(outDir)}";
            await ctx.NextAsync($"{ctx.Command(load)} (loads the files into the warehouse)");
            return RetailCli.Ok;
        }));
        return cmd;
    }

    public static (DateOnly From, DateOnly To) DefaultRange(TimeProvider clock)
    {
        var yesterday = DateOnly.FromDateTime(clock.GetLocalNow().DateTime).AddDays(-1);
        return (yesterday.AddDays(-364), yesterday);
    }

    private static void EnsureWritable(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            var probe = Path.Combine(dir, $".write-test-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write to --out {dir}: {e.Message}. Choose a folder you can write to.");
        }
    }
}
