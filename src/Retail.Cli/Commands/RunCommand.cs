using System.CommandLine;
using Retail.Pipeline.Runs;
using Spectre.Console;

namespace Retail.Cli.Commands;

/// <summary>retail run — the daily pipeline for a date or a range (backfill).</summary>
internal static class RunCommand
{
    public static Command Create(CliContext ctx)
    {
        var date = new Option<DateOnly?>("--date") { Description = "logical date to run (default: yesterday)" };
        var from = new Option<DateOnly?>("--from") { Description = "first date of a backfill" };
        var to = new Option<DateOnly?>("--to") { Description = "last date of a backfill" };
        var rows = new Option<long>("--rows-per-day") { Description = "rows to generate per day", DefaultValueFactory = _ => 3_000 };
        var seed = new Option<ulong>("--seed") { Description = "master seed",
            DefaultValueFactory = _ => Core.Generation.GeneratorOptions.DefaultSeed };
        var force = new Option<bool>("--force") { Description = "redo days that already succeeded" };
        var cmd = new Command("run",
            "Run the pipeline (generate → load → check → publish) for one day or a backfill range, each day once.")
        {
            date, from, to, rows, seed, force,
        };
        cmd.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            using var logs = ctx.Logging(parse);
            var yesterday = DateOnly.FromDateTime(ctx.Clock.GetLocalNow().Date).AddDays(-1);
            var (first, last) = (parse.GetValue(date), parse.GetValue(from), parse.GetValue(to)) switch
            {
                ({ } d, null, null) => (d, d),
                (null, { } f, { } t) when f <= t => (f, t),
                (null, { } f, { } t) => throw new UsageException($"--from {f:yyyy-MM-dd} is after --to {t:yyyy-MM-dd}: swap them."),
                (null, null, null) => (yesterday, yesterday),
                _ => throw new UsageException("give either --date D, or both --from D1 and --to D2."),
            };
            if (parse.GetValue(rows) < 1)
            {
                throw new UsageException("--rows-per-day must be at least 1.");
            }
            Prerequisites.RequireTimeZone();
            var started = ctx.Clock.GetTimestamp();
            var endpoint = await ctx.PrepareWarehouseAsync(settings, ct);
            await using var db = endpoint.CreateDataSource("retail run");
            var options = new PipelineOptions
            {
                RowsPerDay = parse.GetValue(rows),
                Seed = parse.GetValue(seed),
                Force = parse.GetValue(force),
                StagingRoot = Path.Combine(ctx.WorkingDirectory, "data", "runs"),
            };
            var runner = new PipelineRunner(db, options, ctx.Clock) { Log = logs.CreateLogger("retail.run") };
            var results = await runner.RunRangeAsync(first, last, new Progress<DayResult>(_ => { }), ct);
            await PrintAsync(ctx, results);
            var failed = results.Count(r => r.Outcome == DayOutcome.Failed);
            await ctx.Out.WriteLineAsync($"run: {results.Count(r => r.Outcome == DayOutcome.Succeeded)} succeeded, "
                + $"{results.Count(r => r.Outcome == DayOutcome.AlreadyDone)} already done, {failed} failed "
                + $"({first:yyyy-MM-dd}..{last:yyyy-MM-dd}), {results.Sum(r => r.Rows):N0} rows loaded, in {ctx.Elapsed(started)}");
            return failed > 0 ? RetailCli.Failed : RetailCli.Ok;
        }));
        return cmd;
    }

    public static async Task PrintAsync(CliContext ctx, IReadOnlyList<DayResult> results)
    {
        foreach (var r in results)
        {
            var line = r.Outcome switch
            {
                DayOutcome.Succeeded => $"{r.Date:yyyy-MM-dd}: succeeded (run {r.RunId}, {r.Rows:N0} rows loaded, {r.Checks.Count} checks "
                    + $"passed, published)",
                DayOutcome.AlreadyDone => $"{r.Date:yyyy-MM-dd}: nothing to do, already succeeded in run {r.RunId} (use --force to redo)",
                _ => $"{r.Date:yyyy-MM-dd}: FAILED (run {r.RunId}): {r.Error}",
            };
            await (r.Outcome == DayOutcome.Failed ? ctx.Err : ctx.Out).WriteLineAsync(line);
        }
    }
}
