using Retail.Pipeline.Staging;
using Spectre.Console;

namespace Retail.Cli;

/// <summary>A Spectre progress bar when a person is watching; silence when output is piped.</summary>
internal static class Progress
{
    public static async Task<T> Run<T>(CliContext ctx, string label, long total, Func<IProgress<GenerateProgress>?, CancellationToken,
        Task<T>> work, CancellationToken ct)
    {
        if (!ctx.Interactive)
        {
            return await work(null, ct);
        }
        T result = default!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(),
                new SpinnerColumn())
            .StartAsync(async c =>
            {
                var task = c.AddTask(label, maxValue: total);
                var progress = new Progress<GenerateProgress>(p =>
                {
                    task.Value = p.RowsWritten;
                    task.Description = $"{label} {p.FilesWritten}/{p.FilesTotal} files";
                });
                result = await work(progress, ct);
                task.Value = total;
            });
        return result;
    }
}
