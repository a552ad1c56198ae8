using System.CommandLine;
using Retail.Pipeline.Runs;
using Retail.Pipeline.Scheduling;

namespace Retail.Cli.Commands;

/// <summary>retail schedule — a long-running daily scheduler with catch-up.</summary>
internal static class ScheduleCommand
{
    public static Command Create(CliContext ctx)
    {
        var cron = new Option<string>("--cron") { Description = "when to run yesterday's pipeline (cron, in the time zone below)", DefaultValueFactory = _ => "0 2 * * *" };
        var zone = new Option<string>("--time-zone") { Description = "time zone of the cron expression", DefaultValueFactory = _ => "Europe/London" };
        var rows = new Option<long>("--rows-per-day") { Description = "rows to generate per day", DefaultValueFactory = _ => 3_000 };
        var cmd = new Command("schedule", "Run the daily pipeline for yesterday at each cron time; catches up missed days on start. Ctrl+C or SIGTERM stops it.")
        {
            cron, zone, rows,
        };
        cmd.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            Cronos.CronExpression expression;
            TimeZoneInfo tz;
            try
            {
                expression = DailyScheduler.Parse(parse.GetValue(cron)!);
                tz = TimeZoneInfo.FindSystemTimeZoneById(parse.GetValue(zone)!);
            }
            catch (Exception e) when (e is ArgumentException or TimeZoneNotFoundException)
            {
                throw new UsageException(e.Message);
            }
            var endpoint = await ctx.PrepareWarehouseAsync(settings, ct);
            await using var db = endpoint.CreateDataSource("retail schedule");
            var runner = new PipelineRunner(db, new PipelineOptions
            {
                RowsPerDay = parse.GetValue(rows),
                Trigger = "schedule",
                StagingRoot = Path.Combine(ctx.WorkingDirectory, "data", "runs"),
            }, ctx.Clock);
            var scheduler = new DailyScheduler(expression, tz,
                async (day, token) => await RunCommand.PrintAsync(ctx, [await runner.RunDayAsync(day, token)]),
                runner.LastSucceededDateAsync, ctx.Clock);
            scheduler.Waiting += next => ctx.Out.WriteLine($"next run at {next:yyyy-MM-dd HH:mm zzz}");
            try
            {
                await scheduler.RunAsync(ct);
            }
            catch (OperationCanceledException)
            {
                await ctx.Out.WriteLineAsync("scheduler stopped.");
            }
            return RetailCli.Ok;
        }));
        return cmd;
    }
}
