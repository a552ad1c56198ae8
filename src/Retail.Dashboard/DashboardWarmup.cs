using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Retail.Dashboard;

/// <summary>
/// Renders the home page once, server-side, right after the dashboard starts listening and before it says it is
/// serving. The first render of a process compiles the page's Razor and MudBlazor tree, Npgsql's readers and every
/// widget's query path: measured, that was most of the first visitor's wait after a restart. The charts' JSON is only
/// built after the interactive render, so their serialisation is warmed separately (ChartWarmup). The cost does not
/// grow with the data (nothing is cached but compiled code and serialiser metadata), and a failure only means the
/// first visitor pays it.
/// </summary>
public static class DashboardWarmup
{
    public static async Task WarmAsync(WebApplication app, CancellationToken ct)
    {
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (url is null)
        {
            return;
        }
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardWarmup));
        try
        {
            await Components.Charts.ChartWarmup.WarmAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogInformation("warm-up of the charts' serialisation failed ({Message}); the first visitor pays it instead", e.Message);
        }
        using var http = new HttpClient { BaseAddress = new Uri(Loopback(url)), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            // Behind a login this renders the login page (a redirect first): still most of the framework's code.
            using var response = await http.GetAsync("/", ct);
            log.LogDebug("warm-up render of / answered {Status}", (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            log.LogInformation("warm-up render of / failed ({Message}); the first visitor compiles the page instead", e.Message);
        }
    }

    /// <summary>A wildcard listen address (http://0.0.0.0:8501, http://[::]:8501, http://+:8501) is reached on loopback.</summary>
    internal static string Loopback(string url)
    {
        var named = url.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal);
        var uri = new UriBuilder(named);
        if (uri.Host is "0.0.0.0")
        {
            uri.Host = "127.0.0.1";
        }
        else if (uri.Host is "[::]" or "::")
        {
            uri.Host = "[::1]";
        }
        return uri.Uri.GetLeftPart(UriPartial.Authority);
    }
}
