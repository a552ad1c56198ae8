using Retail.Bench;

return await DashboardBench.RunAsync(args);
