using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Retail.Data.Configuration;

namespace Retail.Tests.Infrastructure;

/// <summary>The real CLI serving the dashboard on a free loopback port, pointed at a test database.</summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    public string Url { get; }

    private DashboardProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public static async Task<DashboardProcess> StartAsync(DatabaseSettings db, string workingDirectory, params string[] command)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        string[] args = command.Length == 0 ? ["dashboard", "--urls", url] : [.. command, "--urls", url];
        var p = CliProcess.Start(workingDirectory, CliProcess.Env(db), args);
        var output = new System.Text.StringBuilder();
        var ready = new TaskCompletionSource();
        p.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
            if (e.Data?.Contains("dashboard serving at", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        p.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var done = await Task.WhenAny(ready.Task, p.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(120)));
        if (done != ready.Task)
        {
            p.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"the dashboard did not start: {output}");
        }
        return new DashboardProcess(p, url);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
