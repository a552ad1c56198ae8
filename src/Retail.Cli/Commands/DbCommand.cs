using System.CommandLine;
using System.Diagnostics;
using Retail.Data.Embedded;

namespace Retail.Cli.Commands;

/// <summary>retail db start|stop|status|url|psql — the embedded cluster (or the configured server).</summary>
internal static class DbCommand
{
    public static Command Create(CliContext ctx)
    {
        var db = new Command("db", "Manage the warehouse database: the embedded cluster under .retail/pg, or the server DB_HOST names.");

        var start = new Command("start", "Start the embedded cluster (created on first use); reuses it when it already runs.");
        start.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            var endpoint = await ctx.ResolveAsync(settings, ct);
            await ctx.Out.WriteLineAsync(settings.IsEmbedded ? $"embedded PostgreSQL running at {endpoint.Url}" : $"using the configured "
                + $"server {endpoint.Url} (DB_HOST is set; nothing to start)");
            return RetailCli.Ok;
        }));

        var stop = new Command("stop", "Stop the embedded cluster. Its data is kept.");
        stop.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            if (!settings.IsEmbedded)
            {
                await ctx.Out.WriteLineAsync("DB_HOST is set: the configured server is not ours to stop.");
                return RetailCli.Ok;
            }
            var stopped = await new EmbeddedCluster(settings).StopAsync(ct);
            await ctx.Out.WriteLineAsync(stopped ? "embedded PostgreSQL stopped" : "embedded PostgreSQL was not running");
            return RetailCli.Ok;
        }));

        var status = new Command("status", "Say whether the warehouse database runs, and where. Exit 1 when it does not.");
        status.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            if (!settings.IsEmbedded)
            {
                var endpoint = await ctx.ResolveAsync(settings, ct);
                await using var ds = endpoint.CreateDataSource();
                await ctx.Out.WriteLineAsync($"configured server {endpoint.Url}: {await Data.Operations.ServerInfo.VersionAsync(ds, ct)}");
                await ctx.Out.WriteLineAsync(await Data.Warehouse.DistributedLayout.DescribeAsync(ds, ct));
                return RetailCli.Ok;
            }
            var cluster = new EmbeddedCluster(settings);
            var port = await cluster.RunningPortAsync(ct);
            await ctx.Out.WriteLineAsync(port is { } p
                ? $"embedded PostgreSQL running at "
                    + $"{Data.Configuration.DatabaseSettings.Url(settings.User, EmbeddedCluster.Host, p, settings.Name)} (data: "
                    + $"{cluster.DataDirectory})"
                : $"embedded PostgreSQL not running (data: {cluster.DataDirectory}); start it with './retail db start'");
            return port is null ? RetailCli.Failed : RetailCli.Ok;
        }));

        var url = new Command("url",
            "Print the libpq URL of the warehouse (never with the password). Starts the embedded cluster if needed.");
        url.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            await ctx.Out.WriteLineAsync((await ctx.ResolveAsync(settings, ct)).Url);
            return RetailCli.Ok;
        }));

        var psql = new Command("psql", "Open psql on the warehouse.");
        psql.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            var endpoint = await ctx.ResolveAsync(settings, ct);
            var psi = new ProcessStartInfo(PostgresBinaries.Locate(settings.PgBin).Psql) { UseShellExecute = false };
            psi.ArgumentList.Add(endpoint.Url);
            Data.Configuration.SecretVariables.RemoveFrom(psi.Environment);
            if (settings.Password is { } pw)
            {
                // PGPASSWORD keeps the password off the command line, where ps would show it.
                psi.Environment["PGPASSWORD"] = pw;
            }
            using var p = Process.Start(psi)!;
            await p.WaitForExitAsync(ct);
            return p.ExitCode;
        }));

        db.Subcommands.Add(start);
        db.Subcommands.Add(stop);
        db.Subcommands.Add(status);
        db.Subcommands.Add(url);
        db.Subcommands.Add(psql);
        DbBackupCommands.AddTo(db, ctx);
        return db;
    }
}
