namespace Retail.Bench;

/// <summary>Page loads to interactive right after a dashboard start: prints one line of milliseconds per visit.</summary>
internal static class StartBench
{
    public static async Task<int> FirstVisitsAsync(string[] args)
    {
        var times = await DashboardBench.FirstInteractiveAsync(args[0]);
        Console.WriteLine(string.Join(' ', times.Select(t => t.ToString("F0", System.Globalization.CultureInfo.InvariantCulture))));
        return 0;
    }
}
