using System.CommandLine;
using Retail.Core.Formats;
using Retail.Data.Quality;
using Spectre.Console;

namespace Retail.Cli.Commands;

/// <summary>retail check — the data-quality checks on their own.</summary>
internal static class CheckCommand
{
    public static Command Create(CliContext ctx)
    {
        var date = new Option<DateOnly?>("--date") { Description = "check one sale date (default: everything loaded)" };
        var manifestOpt = new Option<string?>("--manifest") { Description = "also reconcile the facts against this manifest.json (every "
            + "batch is always reconciled against the control totals recorded when it was loaded)" };
        var strict = new Option<bool>("--strict") { Description = "exit 1 when some batches have no control totals (loaded without a "
            + "manifest), too" };
        var cmd = new Command("check",
            "Run the data-quality checks and print check, status, observed, expected. Exit 1 on a failing check.")
        {
            date, manifestOpt, strict,
        };
        cmd.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            var started = ctx.Clock.GetTimestamp();
            var endpoint = await ctx.PrepareWarehouseAsync(settings, ct);
            await using var db = endpoint.CreateDataSource("retail check");
            var d = parse.GetValue(date);
            var manifest = ReadManifest(ctx, parse.GetValue(manifestOpt));
            var (from, to) = d is { } one ? (one, one) : await RangeAsync(db, ctx, ct);
            var results = await new QualityChecks(db, ctx.Clock).RunAsync(from, to, manifest, null, includeUnpublished: false, ct);
            Print(ctx, results);
            var failing = results.Where(r => r.Failed).Select(r => r.Name).ToList();
            var unreconciled = results.Any(r => r.Unreconciled);
            var names = failing.Count > 0 ? $" ({string.Join(", ", failing)})" : "";
            var incomplete = unreconciled ? ", reconciliation incomplete (unreconciled batches)" : "";
            await ctx.Out.WriteLineAsync($"checks: {results.Count(r => r.Passed)} passed, {failing.Count} failed{names}{incomplete} "
                + $"for {from:yyyy-MM-dd}..{to:yyyy-MM-dd} in {ctx.Elapsed(started)}");
            var failed = failing.Count > 0 || (parse.GetValue(strict) && unreconciled);
            return failed ? RetailCli.Failed : RetailCli.Ok;
        }));
        return cmd;
    }

    public static void Print(CliContext ctx, IReadOnlyList<CheckResult> results)
    {
        var table = new Table().AddColumns("check", "status", "observed", "expected");
        foreach (var r in results)
        {
            var status = r.Passed ? "[green]pass[/]" : r.Unreconciled ? "[yellow]unreconciled[/]" : "[red]FAIL[/]";
            table.AddRow(Markup.Escape(r.Name), status, Markup.Escape(r.Observed), Markup.Escape(r.Expected));
        }
        ctx.Terminal.Write(table);
    }

    /// <summary>The manifest given with --manifest, if any; a missing file is an error naming it.</summary>
    private static Manifest? ReadManifest(CliContext ctx, string? given)
    {
        if (given is null)
        {
            return null;
        }
        var path = Path.GetFullPath(given, ctx.WorkingDirectory);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"--manifest {given} not found.");
        }
        using var s = File.OpenRead(path);
        return Manifest.ReadFrom(s);
    }

    private static async Task<(DateOnly, DateOnly)> RangeAsync(Npgsql.NpgsqlDataSource db, CliContext ctx, CancellationToken ct)
    {
        var (first, last) = await Batches.PublishedRangeAsync(db, ct);
        var today = DateOnly.FromDateTime(ctx.Clock.GetLocalNow().Date);
        return (first ?? today, last ?? today);
    }
}
