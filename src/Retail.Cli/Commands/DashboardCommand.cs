using System.CommandLine;
using Retail.Dashboard;

namespace Retail.Cli.Commands;

/// <summary>retail dashboard — serves the web dashboard until Ctrl+C.</summary>
internal static class DashboardCommand
{
    public static Option<string> UrlsOption() => new("--urls") { Description = "where to listen (loopback by default)", DefaultValueFactory = _ => DashboardOptions.DefaultUrls };

    public static Command Create(CliContext ctx)
    {
        var urls = UrlsOption();
        var cmd = new Command("dashboard", "Serve the interactive sales dashboard (default http://127.0.0.1:8501).") { urls };
        cmd.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            var endpoint = await ctx.PrepareWarehouseAsync(settings, ct);
            await ServeAsync(ctx, endpoint, parse.GetValue(urls)!, ct);
            return RetailCli.Ok;
        }));
        return cmd;
    }

    public static async Task ServeAsync(CliContext ctx, Data.Configuration.WarehouseEndpoint endpoint, string urls, CancellationToken ct)
    {
        await using var app = await DashboardApp.CreateAsync(new DashboardOptions(endpoint, urls), [], ct);
        await app.StartAsync(ct);
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
