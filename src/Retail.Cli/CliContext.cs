using System.CommandLine;
using Npgsql;
using Retail.Data;
using Retail.Data.Configuration;
using Retail.Data.Embedded;
using Spectre.Console;

namespace Retail.Cli;

/// <summary>What every command shares: settings resolution, output, the clock, and one way of reporting failure.</summary>
public sealed class CliContext(string workingDirectory, TextWriter stdout, TextWriter stderr, TimeProvider clock)
{
    public string WorkingDirectory { get; } = workingDirectory;
    public TextWriter Out { get; } = stdout;
    public TextWriter Err { get; } = stderr;
    public TimeProvider Clock { get; } = clock;

    public Option<string?> DbHost { get; } = new("--db-host") { Description = "PostgreSQL host (overrides DB_HOST; unset = embedded "
        + "cluster)", Recursive = true };
    public Option<string?> DbPort { get; } = new("--db-port") { Description = "PostgreSQL port (overrides DB_PORT)", Recursive = true };
    public Option<string?> DbName { get; } = new("--db-name") { Description = "database name (overrides DB_NAME)", Recursive = true };
    public Option<string?> DbUser { get; } = new("--db-user") { Description = "database user (overrides DB_USER); the password is read "
        + "only from DB_PASSWORD", Recursive = true };

    public Option<string?> LogFormat { get; } = new("--log-format") { Description = "log events to stderr as 'text' (default) or 'json' "
        + "(also RETAIL_LOG_FORMAT)", Recursive = true };

    public IEnumerable<Option> GlobalOptions => [DbHost, DbPort, DbName, DbUser, LogFormat];

    /// <summary>The command's loggers (load, run, schedule); dispose to flush.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory Logging(ParseResult parse) =>
        CliLogging.Create(CliLogging.IsJson(parse.GetValue(LogFormat)));

    /// <summary>How to name a follow-up command: the way the user started us (./retail sets RETAIL_LAUNCHER), else 'retail'.</summary>
    public string Command(string args) =>
        $"{(Environment.GetEnvironmentVariable("RETAIL_LAUNCHER") is { Length: > 0 } launcher ? launcher : "retail")} {args}";

    /// <summary>The one-line ending of a long command: what to run next.</summary>
    public Task NextAsync(string what) => Out.WriteLineAsync($"next: {what}");

    public string Elapsed(long startedTimestamp) =>
        Clock.GetElapsedTime(startedTimestamp).TotalSeconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + "s";

    /// <summary>Interactive progress only when a person watches; piped output stays quiet and parseable.</summary>
    public bool Interactive => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected;

    public IAnsiConsole Terminal
    {
        get
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Out),
                Interactive = Interactive ? InteractionSupport.Yes : InteractionSupport.No });
            if (!Interactive)
            {
                // Piped output is read by programs and logs: never wrap a table cell at 80 columns.
                console.Profile.Width = 240;
            }
            return console;
        }
    }

    /// <summary>.env (never overriding the environment), then the environment, then flags.</summary>
    public DatabaseSettings Settings(ParseResult parse)
    {
        EnvFile.LoadIfPresent(WorkingDirectory);
        var flags = new Dictionary<string, string?>
        {
            ["DB_HOST"] = parse.GetValue(DbHost),
            ["DB_PORT"] = parse.GetValue(DbPort),
            ["DB_NAME"] = parse.GetValue(DbName),
            ["DB_USER"] = parse.GetValue(DbUser),
        };
        return DatabaseSettings.FromVariables(
            key => flags.TryGetValue(key, out var v) && v is not null ? v : Environment.GetEnvironmentVariable(key),
            WorkingDirectory);
    }

    /// <summary>Runs a command body and turns every expected failure into one redacted line and exit 1.</summary>
    public async Task<int> Guard(ParseResult parse, Func<DatabaseSettings, Task<int>> body)
    {
        DatabaseSettings? settings = null;
        try
        {
            settings = Settings(parse);
            return await body(settings);
        }
        catch (OperationCanceledException)
        {
            await Err.WriteLineAsync("cancelled.");
            return 130;
        }
        catch (UsageException e)
        {
            await Err.WriteLineAsync($"error: {Redact(settings, e.Message)}");
            return RetailCli.Usage;
        }
        catch (Exception e) when (e is SettingsException or EmbeddedClusterException or IOException or UnauthorizedAccessException
            or InvalidDataException or Data.Warehouse.WarehouseNotReadyException or Data.Warehouse.LayoutConflictException
            or Data.Warehouse.ReferenceSeedException or Retail.Pipeline.Runs.PipelineStepException
            or Data.Backup.BackupException or Data.Backup.WarehouseNotEmptyException)
        {
            await Err.WriteLineAsync($"error: {Redact(settings, e.Message)}");
            return RetailCli.Failed;
        }
        catch (Exception e) when (DatabaseErrors.IsDatabaseError(e))
        {
            var timedOut = e is TimeoutException || e.InnerException is TimeoutException;
            var what = Endpoint?.Describe(e)
                ?? (timedOut ? "timed out waiting for PostgreSQL (the machine may be overloaded): run the command again." : e.Message);
            await Err.WriteLineAsync($"error: {Redact(settings, what)}");
            return RetailCli.Failed;
        }
        catch (Exception e)
        {
            // A bug, not bad input: still one line, still no password, and a way to get details.
            await Err.WriteLineAsync($"error: unexpected {e.GetType().Name}: {Redact(settings, e.Message)} (this is a bug: please report "
                + $"it; RETAIL_DEBUG=1 shows the stack trace)");
            if (Environment.GetEnvironmentVariable("RETAIL_DEBUG") == "1")
            {
                await Err.WriteLineAsync(Redact(settings, e.ToString()));
            }
            return RetailCli.Failed;
        }
    }

    /// <summary>The endpoint resolved by the running command, so connection errors can name host and port.</summary>
    public WarehouseEndpoint? Endpoint { get; private set; }

    public async Task<WarehouseEndpoint> ResolveAsync(DatabaseSettings settings, CancellationToken ct)
    {
        // For DB_HOST this only names the server, so later connection errors can say where they failed.
        Endpoint = await WarehouseEndpoint.ResolveAsync(settings, ct);
        return Endpoint;
    }

    /// <summary>
    /// The CLI's schema step, for commands that write or serve: migrations, the distributed layout on Citus, and
    /// the dashboard's read-only login (created or repaired, its password set), all as DB_USER.
    /// </summary>
    public async Task<WarehouseEndpoint> PrepareWarehouseAsync(DatabaseSettings settings, CancellationToken ct)
    {
        var endpoint = await ResolveAsync(settings, ct);
        await using var admin = endpoint.CreateDataSource("retail schema");
        var advice = new List<string>();
        await Data.Warehouse.WarehouseSchema.ApplyAsync(admin, Data.Warehouse.SchemaOptions.For(endpoint) with { Advise = advice.Add }, ct);
        foreach (var line in advice)
        {
            await Err.WriteLineAsync($"warning: {line}");
        }
        return endpoint;
    }

    private static string Redact(DatabaseSettings? settings, string message)
    {
        var pw = settings?.Password ?? Environment.GetEnvironmentVariable("DB_PASSWORD");
        message = string.IsNullOrEmpty(pw) ? message : message.Replace(pw, "***", StringComparison.Ordinal);
        return settings?.Redact(message) ?? message;
    }
}

/// <summary>Arguments that parse but make no sense together (e.g. --from after --to): exit 2.</summary>
public sealed class UsageException(string message) : Exception(message);
