using System.CommandLine;
using Retail.Cli.Commands;

namespace Retail.Cli;

/// <summary>Composes the command tree. Exit codes: 0 success, 1 failure, 2 usage error.</summary>
public static class RetailCli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public static async Task<int> RunAsync(string[] args, string workingDirectory, TextWriter stdout, TextWriter stderr)
    {
        var context = new CliContext(workingDirectory, stdout, stderr, TimeProvider.System);
        var root = new RootCommand("retail — generate, load, check and explore an Argos-like chain's sales in PostgreSQL.");
        foreach (var option in context.GlobalOptions)
        {
            root.Options.Add(option);
        }
        root.Subcommands.Add(DbCommand.Create(context));
        root.Subcommands.Add(GenerateCommand.Create(context));
        root.Subcommands.Add(LoadCommand.Create(context));
        root.Subcommands.Add(DashboardCommand.Create(context));
        root.Subcommands.Add(RunCommand.Create(context));
        root.Subcommands.Add(CheckCommand.Create(context));
        root.Subcommands.Add(HistoryCommand.Create(context));
        root.Subcommands.Add(ScheduleCommand.Create(context));
        root.Subcommands.Add(DemoCommand.Create(context));
        root.Subcommands.Add(StatusCommand.Create(context));
        root.Subcommands.Add(RollupsCommand.Create(context));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await stderr.WriteLineAsync($"error: {error.Message} (see 'retail {parsed.CommandResult.Command.Name} --help')");
            }
            return Usage;
        }
        // Ctrl+C cancels the command's token; give it time to roll back and clean up (a loaded machine is slow) before
        // the process is ended regardless.
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr,
            ProcessTerminationTimeout = TimeSpan.FromSeconds(15) });
    }
}
