using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Retail.Data.Configuration;

namespace Retail.Tests.Infrastructure;

/// <summary>The real CLI serving the dashboard on a free loopback port, pointed at a test database.</summary>
public sealed class DashboardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output;
    public string Url { get; }

    /// <summary>Everything the process printed so far (stdout and stderr).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private DashboardProcess(Process process, string url, System.Text.StringBuilder output)
    {
        _process = process;
        Url = url;
        _output = output;
    }

    public static Task<DashboardProcess> StartAsync(DatabaseSettings db, string workingDirectory, params string[] command) =>
        StartAsync(db, workingDirectory, new Dictionary<string, string?>(), "127.0.0.1", command);

    /// <summary>Binds <paramref name="bindHost"/> (e.g. 0.0.0.0) on a free port; <see cref="Url"/> still reaches it on 127.0.0.1.</summary>
    public static async Task<DashboardProcess> StartAsync(DatabaseSettings db, string workingDirectory, IDictionary<string, string?> env,
        string bindHost, params string[] command)
    {
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var bind = $"http://{bindHost}:{port}";
        string[] args = command.Length == 0 ? ["dashboard", "--urls", bind] : [.. command, "--urls", bind];
        var variables = CliProcess.Env(db);
        foreach (var (k, v) in env)
        {
            variables[k] = v;
        }
        var p = CliProcess.Start(workingDirectory, variables, args);
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
        return new DashboardProcess(p, url, output);
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
