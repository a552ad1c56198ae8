using System.CommandLine;
using Retail.Pipeline.Runs;
using Retail.Pipeline.Scheduling;

namespace Retail.Cli.Commands;

/// <summary>retail schedule — a long-running daily scheduler with catch-up.</summary>
internal static class ScheduleCommand
{
    public static Command Create(CliContext ctx)
    {
        var cron = new Option<string>("--cron") { Description = "when to run yesterday's pipeline (cron, in the time zone below)",
            DefaultValueFactory = _ => "0 2 * * *" };
        var zone = new Option<string>("--time-zone") { Description = "time zone of the cron expression",
            DefaultValueFactory = _ => "Europe/London" };
        var rows = new Option<long>("--rows-per-day") { Description = "rows to generate per day", DefaultValueFactory = _ => 3_000 };
        var metricsPort = new Option<int?>("--metrics-port") { Description = "serve Prometheus metrics at http://HOST:PORT/metrics (off "
            + "by default)" };
        var metricsHost = new Option<string>("--metrics-host") { Description = "address the metrics endpoint listens on (loopback by "
            + "default; 0.0.0.0 in a container)", DefaultValueFactory = _ => "127.0.0.1" };
        var cmd = new Command("schedule",
            "Run the daily pipeline for yesterday at each cron time; catches up missed days on start. Ctrl+C or SIGTERM stops it.")
        {
            cron, zone, rows, metricsPort, metricsHost,
        };
        cmd.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            using var logs = ctx.Logging(parse);
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
            Prerequisites.RequireTimeZone();
            if (parse.GetValue(metricsPort) is < 1 or > 65535)
            {
                throw new UsageException($"--metrics-port {parse.GetValue(metricsPort)} is not a TCP port: give a number from 1 to 65535.");
            }
            var endpoint = await ctx.PrepareWarehouseAsync(settings, ct);
            await using var db = endpoint.CreateDataSource("retail schedule");
            await using var metrics = parse.GetValue(metricsPort) is { } port
                ? await Dashboard.MetricsEndpoint.StartStandaloneAsync($"http://{parse.GetValue(metricsHost)}:{port}", ct)
                : null;
            if (metrics is not null)
            {
                await ctx.Out.WriteLineAsync($"metrics at {metrics.Urls.First()}{Dashboard.MetricsEndpoint.Path}");
            }
            var runner = new PipelineRunner(db, new PipelineOptions
            {
                RowsPerDay = parse.GetValue(rows),
                Trigger = "schedule",
                StagingRoot = Path.Combine(ctx.WorkingDirectory, "data", "runs"),
            }, ctx.Clock)
            {
                Metrics = metrics?.Services.GetRequiredService<Data.Telemetry.RetailMetrics>(),
                Log = logs.CreateLogger("retail.run"),
            };
            var scheduler = new DailyScheduler(expression, tz,
                async (day, token) => await RunCommand.PrintAsync(ctx, [await runner.RunDayAsync(day, token)]),
                runner.LastSucceededDateAsync, ctx.Clock) { Log = logs.CreateLogger("retail.schedule") };
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
