using Retail.Dashboard;

// Standalone entry (Docker's dashboard service); 'retail dashboard' composes the same app in-process.
var app = await DashboardApp.CreateFromEnvironmentAsync(args, CancellationToken.None);
await app.RunAsync();
