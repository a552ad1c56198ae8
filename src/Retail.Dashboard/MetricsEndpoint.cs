using OpenTelemetry.Metrics;
using Retail.Data.Telemetry;

namespace Retail.Dashboard;

/// <summary>
/// The Prometheus scrape endpoint (/metrics) for the Meter "Retail", through the OpenTelemetry SDK. Used by the
/// dashboard and by 'retail schedule --metrics-port' (a small web app with only this endpoint).
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>Registers <see cref="RetailMetrics"/> (from the host's meter factory) and the OpenTelemetry exporter.</summary>
    public static IServiceCollection AddRetailMetrics(this IServiceCollection services)
    {
        services.AddSingleton(sp => new RetailMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(RetailMetrics.MeterName).AddPrometheusExporter());
        return services;
    }

    public static void MapRetailMetrics(this WebApplication app) => app.MapPrometheusScrapingEndpoint(Path);

    /// <summary>
    /// A web app serving only /metrics at <paramref name="url"/>, for a process that has no web server of its own.
    /// Its <see cref="RetailMetrics"/> is the one to record into.
    /// </summary>
    public static async Task<WebApplication> StartStandaloneAsync(string url, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddRetailMetrics();
        var app = builder.Build();
        app.MapRetailMetrics();
        await app.StartAsync(ct);
        return app;
    }
}
