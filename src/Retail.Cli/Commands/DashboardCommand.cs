using System.CommandLine;
using Retail.Dashboard;

namespace Retail.Cli.Commands;

/// <summary>retail dashboard — serves the web dashboard until Ctrl+C.</summary>
internal static class DashboardCommand
{
    public static Option<string> UrlsOption() => new("--urls") { Description = "where to listen (loopback by default)",
        DefaultValueFactory = _ => DashboardOptions.DefaultUrls };

    public static Command Create(CliContext ctx)
    {
        var urls = UrlsOption();
        var noAuth = new Option<bool>("--no-auth") { Description = "serve beyond loopback WITHOUT a login (otherwise DASHBOARD_USER and "
            + "DASHBOARD_PASSWORD are required there)" };
        var cmd = new Command("dashboard", "Serve the interactive sales dashboard (default http://127.0.0.1:8501).") { urls, noAuth };
        cmd.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            // Checked before connecting: an exposed dashboard without a login refuses to start, in one line.
            var access = DashboardAccess.Resolve(parse.GetValue(urls)!, Environment.GetEnvironmentVariable, parse.GetValue(noAuth));
            if (access.Exposed && !access.RequiresLogin)
            {
                await ctx.Err.WriteLineAsync($"warning: --no-auth: the dashboard at {parse.GetValue(urls)} shows the chain's sales to "
                    + $"anyone who can reach it, without a login.");
            }
            var endpoint = await ctx.PrepareWarehouseAsync(settings, ct);
            await ServeAsync(ctx, endpoint, parse.GetValue(urls)!, ct, parse.GetValue(noAuth));
            return RetailCli.Ok;
        }));
        return cmd;
    }

    public static async Task ServeAsync(CliContext ctx, Data.Configuration.WarehouseEndpoint endpoint, string urls, CancellationToken ct,
        bool noAuth = false)
    {
        await using var app = await DashboardApp.CreateAsync(new DashboardOptions(endpoint, urls) { NoAuth = noAuth }, [], ct);
        await app.StartAsync(ct);
        await DashboardWarmup.WarmAsync(app, ct);
        foreach (var url in app.Urls)
        {
            await ctx.Out.WriteLineAsync($"dashboard serving at {url} (Ctrl+C to stop)");
        }
        await ctx.Out.FlushAsync(ct);
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
        }
        await app.StopAsync(CancellationToken.None);
    }
}
