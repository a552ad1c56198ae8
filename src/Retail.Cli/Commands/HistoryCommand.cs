using System.CommandLine;
using System.Globalization;
using Retail.Data.Runs;
using Spectre.Console;

namespace Retail.Cli.Commands;

/// <summary>retail history — recent pipeline runs and their steps.</summary>
internal static class HistoryCommand
{
    public static Command Create(CliContext ctx)
    {
        var limit = new Option<int>("--limit") { Description = "runs to show", DefaultValueFactory = _ => 20 };
        var cmd = new Command("history", "Show recent pipeline runs and their steps.") { limit };
        cmd.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            var endpoint = await ctx.ResolveAsync(settings, ct);
            await using var db = endpoint.CreateDataSource("retail history");
            await Data.Warehouse.WarehouseSchema.ApplyAsync(db, ct);
            var table = new Table().AddColumns("run", "date", "trigger", "status", "started", "took", "steps", "error");
            foreach (var run in await new RunLedger(db).HistoryAsync(parse.GetValue(limit), ct))
            {
                var took = run.FinishedAt is { } finished
                    ? $"{(finished - run.StartedAt).TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)}s"
                    : "";
                table.AddRow(run.RunId.ToString(CultureInfo.InvariantCulture),
                    run.LogicalDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Markup.Escape(run.Trigger), Markup.Escape(run.Status), run.StartedAt.ToString("yyyy-MM-dd HH:mm:ss",
                        CultureInfo.InvariantCulture), took,
                    Markup.Escape(run.Steps), Markup.Escape(run.Error));
            }
            ctx.Terminal.Write(table);
            return RetailCli.Ok;
        }));
        return cmd;
    }
}
