using System.CommandLine;
using System.Globalization;
using Retail.Data.Backup;

namespace Retail.Cli.Commands;

/// <summary>retail db backup [FILE] and retail db restore FILE [--force]: pg_dump custom format, the warehouse whole.</summary>
internal static class DbBackupCommands
{
    public static void AddTo(Command db, CliContext ctx)
    {
        db.Subcommands.Add(Backup(ctx));
        db.Subcommands.Add(Restore(ctx));
    }

    private static Command Backup(CliContext ctx)
    {
        var file = new Argument<string?>("file") { Description = "where to write the backup (default: "
            + "backups/retail-DBNAME-YYYYMMDD-HHMMSS.dump)", Arity = ArgumentArity.ZeroOrOne };
        var cmd = new Command("backup",
            "Back up the warehouse with pg_dump (custom format) to a file that 'retail db restore' reads.") { file };
        cmd.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            var path = Path.GetFullPath(parse.GetValue(file) ?? Path.Combine("backups",
                $"retail-{settings.Name}-{ctx.Clock.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.dump"),
                ctx.WorkingDirectory);
            var endpoint = await ctx.ResolveAsync(settings, ct);
            var r = await new WarehouseBackup(endpoint, ctx.Clock).BackupAsync(path, ct);
            await ctx.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"backup written: {r.File} ({r.Bytes / 1048576.0:N1} MiB; {r.Contents}) "
                + $"from {endpoint.Url} in {r.Elapsed.TotalSeconds:F1}s"));
            await ctx.NextAsync($"keep it somewhere safe; "
                + $"{ctx.Command($"db restore {Path.GetRelativePath(ctx.WorkingDirectory, r.File)}")} brings it back");
            return RetailCli.Ok;
        }));
        return cmd;
    }

    private static Command Restore(CliContext ctx)
    {
        var file = new Argument<string>("file") { Description = "a backup written by 'retail db backup'" };
        var force = new Option<bool>("--force") { Description = "replace a warehouse that already holds data (otherwise the restore "
            + "refuses)" };
        var cmd = new Command("restore",
            "Restore the warehouse from a backup, in one transaction. Refuses to replace data unless --force.") { file, force };
        cmd.SetAction((parse, ct) => ctx.Guard(parse, async settings =>
        {
            var path = Path.GetFullPath(parse.GetValue(file)!, ctx.WorkingDirectory);
            var endpoint = await ctx.ResolveAsync(settings, ct);
            var r = await new WarehouseBackup(endpoint, ctx.Clock).RestoreAsync(path, parse.GetValue(force), ct);
            await ctx.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"restored {r.File} into {endpoint.Url}: {r.Restored}{(r.Replaced.IsEmpty ? "" : $" (replacing {r.Replaced})")} in "
                    + $"{r.Elapsed.TotalSeconds:F1}s"));
            await ctx.NextAsync($"{ctx.Command("check")} (data-quality checks on the restored data)");
            return RetailCli.Ok;
        }));
        return cmd;
    }
}
