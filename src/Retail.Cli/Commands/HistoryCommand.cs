using System.CommandLine;
using System.Globalization;
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
            await using var cmd = db.CreateCommand("""
                SELECT r.run_id, r.logical_date, r.trigger, r.status, r.started_at, r.finished_at,
                       coalesce(string_agg(s.step || ':' || s.status || coalesce(' ' || s.rows, '') || CASE WHEN s.attempts > 1 THEN ' (' || s.attempts || ' tries)' ELSE '' END, ', ' ORDER BY s.started_at), ''),
                       coalesce(r.error, '')
                FROM (SELECT * FROM ops.pipeline_runs ORDER BY run_id DESC LIMIT $1) r
                LEFT JOIN ops.pipeline_steps s USING (run_id)
                GROUP BY r.run_id, r.logical_date, r.trigger, r.status, r.started_at, r.finished_at, r.error
                ORDER BY r.run_id DESC
                """);
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Math.Max(1, parse.GetValue(limit)) });
            var table = new Table().AddColumns("run", "date", "trigger", "status", "started", "took", "steps", "error");
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var started = r.GetFieldValue<DateTimeOffset>(4);
                var took = r.IsDBNull(5) ? "" : $"{(r.GetFieldValue<DateTimeOffset>(5) - started).TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)}s";
                table.AddRow(r.GetInt32(0).ToString(CultureInfo.InvariantCulture), r.GetFieldValue<DateOnly>(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    Markup.Escape(r.GetString(2)), Markup.Escape(r.GetString(3)), started.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), took,
                    Markup.Escape(r.GetString(6)), Markup.Escape(r.GetString(7)));
            }
            ctx.Terminal.Write(table);
            return RetailCli.Ok;
        }));
        return cmd;
    }
}
