using System.CommandLine;
using Retail.Core.Formats;
using Retail.Pipeline.Quality;
using Spectre.Console;

namespace Retail.Cli.Commands;

/// <summary>retail check — the data-quality checks on their own.</summary>
internal static class CheckCommand
{
    public static Command Create(CliContext ctx)
    {
        var date = new Option<DateOnly?>("--date") { Description = "check one sale date (default: everything loaded)" };
        var manifestOpt = new Option<string?>("--manifest") { Description = "manifest.json to reconcile against (default: data/raw/manifest.json or data/runs/DATE/manifest.json when present)" };
        var cmd = new Command("check", "Run the data-quality checks and print check, status, observed, expected. Exit 1 on a failing check.") { date, manifestOpt };
        cmd.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            var endpoint = await ctx.PrepareWarehouseAsync(settings, ct);
            await using var db = endpoint.CreateDataSource("retail check");
            await Data.Warehouse.WarehouseSchema.ApplyAsync(db, ct);
            var d = parse.GetValue(date);
            var manifest = FindManifest(ctx, parse.GetValue(manifestOpt), d);
            var (from, to) = d is { } one ? (one, one) : await RangeAsync(db, ctx, ct);
            var results = await new QualityChecks(db, ctx.Clock).RunAsync(from, to, manifest, null, includeUnpublished: false, ct);
            Print(ctx, results);
            return results.All(r => r.Passed) ? RetailCli.Ok : RetailCli.Failed;
        }));
        return cmd;
    }

    public static void Print(CliContext ctx, IReadOnlyList<CheckResult> results)
    {
        var table = new Table().AddColumns("check", "status", "observed", "expected");
        foreach (var r in results)
        {
            table.AddRow(Markup.Escape(r.Name), r.Passed ? "[green]pass[/]" : "[red]FAIL[/]", Markup.Escape(r.Observed), Markup.Escape(r.Expected));
        }
        ctx.Terminal.Write(table);
    }

    public static Manifest? FindManifest(CliContext ctx, string? given, DateOnly? date)
    {
        var candidates = given is not null
            ? [Path.GetFullPath(given, ctx.WorkingDirectory)]
            : new[] { date is { } d ? Path.Combine(ctx.WorkingDirectory, "data", "runs", d.ToString("yyyy-MM-dd"), Manifest.FileName) : null, Path.Combine(ctx.WorkingDirectory, "data", "raw", Manifest.FileName) }.OfType<string>().ToArray();
        foreach (var path in candidates)
        {
            if (File.Exists(path))
            {
                using var s = File.OpenRead(path);
                var m = Manifest.ReadFrom(s);
                if (date is null || (m.Arguments.From <= date && date <= m.Arguments.To))
                {
                    return m;
                }
            }
            else if (given is not null)
            {
                throw new FileNotFoundException($"--manifest {given} not found.");
            }
        }
        return null;
    }

    private static async Task<(DateOnly, DateOnly)> RangeAsync(Npgsql.NpgsqlDataSource db, CliContext ctx, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT min(min_sale_date), max(max_sale_date) FROM ops.load_batches WHERE status = 'loaded' AND published");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        var today = DateOnly.FromDateTime(ctx.Clock.GetLocalNow().Date);
        return (r.IsDBNull(0) ? today : r.GetFieldValue<DateOnly>(0), r.IsDBNull(1) ? today : r.GetFieldValue<DateOnly>(1));
    }
}
