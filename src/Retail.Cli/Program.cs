using Retail.Cli;

return await RetailCli.RunAsync(args, Environment.CurrentDirectory, Console.Out, Console.Error);
