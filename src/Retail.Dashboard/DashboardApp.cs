using MudBlazor.Services;
using Npgsql;
using Retail.Dashboard.Components;
using Retail.Dashboard.State;
using Retail.Data.Configuration;
using Retail.Data.Queries;
using Retail.Data.Warehouse;

namespace Retail.Dashboard;

/// <summary>Settings the dashboard starts with, validated before the host is built.</summary>
public sealed record DashboardOptions(WarehouseEndpoint Endpoint, string Urls = DashboardOptions.DefaultUrls)
{
    public const string DefaultUrls = "http://127.0.0.1:8501";

    /// <summary>Serve beyond loopback without a login (--no-auth): the operator's explicit choice.</summary>
    public bool NoAuth { get; init; }

    /// <summary>Where DASHBOARD_USER and DASHBOARD_PASSWORD are read from.</summary>
    public Func<string, string?> Variable { get; init; } = Environment.GetEnvironmentVariable;
}

/// <summary>Composes the dashboard web app: one read-only NpgsqlDataSource, the query service, MudBlazor, endpoints.</summary>
public static class DashboardApp
{
    public static async Task<WebApplication> CreateFromEnvironmentAsync(string[] args, CancellationToken ct)
    {
        EnvFile.LoadIfPresent(Environment.CurrentDirectory);
        var settings = DatabaseSettings.FromVariables(Environment.GetEnvironmentVariable, Environment.CurrentDirectory);
        var endpoint = await WarehouseEndpoint.ResolveAsync(settings, ct);
        return await CreateAsync(
            new DashboardOptions(endpoint, Environment.GetEnvironmentVariable("DASHBOARD_URLS") ?? DashboardOptions.DefaultUrls), args, ct);
    }

    public static async Task<WebApplication> CreateAsync(DashboardOptions options, string[] args, CancellationToken ct)
    {
        // The dashboard only reads, as its own login: the CLI applies the schema and creates that login first.
        await using (var probe = ReadOnlyDataSource(options.Endpoint))
        {
            await WarehouseReadiness.EnsureDashboardCanReadAsync(probe, options.Endpoint, ct);
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // Serves _framework and _content assets from the build output too (not only when published).
        builder.WebHost.UseStaticWebAssets();
        // Served as built, not as a development session: ASP.NET otherwise re-checks each asset against its file and, finding
        // a package's timestamp different, gzipped it at level 0 on every request (MudBlazor's CSS went out at 627 kB instead
        // of its 67 kB build-time gzip) with caching turned off.
        builder.Configuration["ReloadStaticAssetsAtRuntime"] = "false";
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Keys are ephemeral for a loopback dashboard; the "unencrypted key" warning is noise here.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => ReadOnlyDataSource(options.Endpoint));
        builder.Services.AddSingleton<SalesQueries>();
        builder.Services.AddSingleton<SharedView>();
        builder.Services.AddSingleton<RecentViews>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<DashboardState>();
        builder.Services.AddMudServices();
        builder.Services.AddRetailMetrics();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        var access = DashboardAuth.AddServices(builder, options);
        PageCache.AddServices(builder, access);

        var app = builder.Build();
        app.UseOutputCache();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapGet("/health", async (SalesQueries q, CancellationToken token) =>
        {
            try
            {
                return await q.PingAsync(token) ? Results.Ok("ok") : Results.StatusCode(503);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                return Results.Text("database unavailable", statusCode: 503);
            }
        }).AllowAnonymous(); // says only "ok" or "unavailable": health checks (compose, load balancers) need no login
        ExportEndpoints.Map(app);
        app.MapRetailMetrics();
        DashboardAuth.MapEndpoints(app, access);
        return app;
    }

    /// <summary>
    /// Logs in as the dashboard's own read-only role (DASHBOARD_DB_USER), never as DB_USER: no statement it sends,
    /// and no reset of a pooled connection, can give it a right to write.
    /// </summary>
    public static NpgsqlDataSource ReadOnlyDataSource(WarehouseEndpoint endpoint)
    {
        var b = new NpgsqlDataSourceBuilder(endpoint.DashboardConnectionString("retail dashboard"));
        b.ConnectionStringBuilder.MaxPoolSize = 30;
        b.ConnectionStringBuilder.Timeout = 3;
        // The widgets' queries already run side by side, each over rollups a few thousand rows wide: a parallel plan
        // only adds workers that queue for the same cores. At 100M lines on 2 cores, top products for 4 stores over a
        // custom range took 68 ms with workers and 32 ms without (medians of 7).
        b.ConnectionStringBuilder.Options = "-c max_parallel_workers_per_gather=0";
        return b.Build();
    }
}
