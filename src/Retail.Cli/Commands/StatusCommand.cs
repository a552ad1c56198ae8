using System.CommandLine;
using Npgsql;
using Retail.Data;
using Retail.Data.Configuration;
using Retail.Data.Embedded;
using Retail.Data.Operations;

namespace Retail.Cli.Commands;

/// <summary>
/// retail status — one logfmt line for operators and scripts: status, last run, last load, failing checks, data
/// freshness. Exit 0 only for status=ok. It reads and never starts anything: a stopped embedded cluster is status=down.
/// </summary>
internal static class StatusCommand
{
    public static Command Create(CliContext ctx)
    {
        var maxAge = new Option<int>("--max-age-days") { Description = "newest published sale date older than this many days = stale",
            DefaultValueFactory = _ => 2 };
        var cmd = new Command("status", "Print one line an operator can script: status=ok|failing|stale|empty|down, the last run and "
            + "load, failing checks, data freshness. Exit 0 only when ok.") { maxAge };
        cmd.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            if (parse.GetValue(maxAge) < 0)
            {
                throw new UsageException("--max-age-days must be 0 or more.");
            }
            WarehouseEndpoint endpoint;
            if (settings.IsEmbedded)
            {
                if (await new EmbeddedCluster(settings).RunningPortAsync(ct) is not { } port)
                {
                    await ctx.Out.WriteLineAsync($"status=down reason=embedded_postgresql_not_running fix=\"{ctx.Command("db start")}\"");
                    return RetailCli.Failed;
                }
                endpoint = new WarehouseEndpoint(settings, EmbeddedCluster.Host, port);
            }
            else
            {
                endpoint = await ctx.ResolveAsync(settings, ct);
            }
            WarehouseStatus status;
            try
            {
                await using var db = endpoint.CreateDataSource("retail status");
                status = await WarehouseStatus.ReadAsync(db, ct);
            }
            catch (Exception e) when (DatabaseErrors.IsDatabaseError(e))
            {
                await ctx.Out.WriteLineAsync($"status=down reason=\"{endpoint.Describe(e).Replace('"', '\'')}\"");
                return RetailCli.Failed;
            }
            var today = DateOnly.FromDateTime(ctx.Clock.GetLocalNow().Date);
            await ctx.Out.WriteLineAsync(status.ToLine(today, parse.GetValue(maxAge)));
            return status.Level(today, parse.GetValue(maxAge)) == StatusLevel.Ok ? RetailCli.Ok : RetailCli.Failed;
        }));
        return cmd;
    }
}
