using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Retail.Cli;

/// <summary>
/// Structured logs of load, run and schedule: to stderr (stdout keeps the human lines), one line per event, as text
/// or, with --log-format json / RETAIL_LOG_FORMAT=json, as JSON for a container's log collector. Events carry file
/// names, dates, ids and counts, never settings or secrets.
/// </summary>
internal static class CliLogging
{
    public const string EnvironmentVariable = "RETAIL_LOG_FORMAT";

    /// <summary>The flag's value, else the environment's, else text; anything else is a usage error naming both.</summary>
    public static bool IsJson(string? flag)
    {
        var value = flag ?? Environment.GetEnvironmentVariable(EnvironmentVariable);
        return value?.Trim().ToLowerInvariant() switch
        {
            null or "" or "text" => false,
            "json" => true,
            _ => throw new UsageException($"log format '{value}' is not 'text' or 'json': fix --log-format or {EnvironmentVariable}."),
        };
    }

    /// <summary>
    /// Dispose it before exit: the console logger writes from a queue, and disposing flushes it. A person at a terminal
    /// sees warnings and errors only (a line per file would bury the progress bar and the summary); redirected stderr
    /// (a container, a scheduler, a log file) and JSON get every event.
    /// </summary>
    public static ILoggerFactory Create(bool json) => LoggerFactory.Create(b =>
    {
        b.SetMinimumLevel(json || Console.IsErrorRedirected ? LogLevel.Information : LogLevel.Warning);
        b.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        if (json)
        {
            b.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffzzz";
                o.IncludeScopes = false;
            });
        }
        else
        {
            b.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffzzz ";
                o.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
    });
}
