using Retail.Bench;

return args.FirstOrDefault() switch
{
    "page" => await ConcurrentPageBench.PageAsync(args[1..]),
    "report" => ConcurrentPageBench.Report(args[1..]),
    "browser" => await BrowserFilterBench.RunAsync(args[1..]),
    "first" => await StartBench.FirstVisitsAsync(args[1..]),
    "first-split" => await StartBench.SplitAsync(args[1..]),
    _ => await DashboardBench.RunAsync(args),
};
