using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using Retail.Dashboard;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// A dashboard listening beyond loopback (0.0.0.0, reached at 127.0.0.1) asks for a login, in real headless Chromium
/// against the real 'retail dashboard' process; started exposed without credentials it refuses, in one line.
/// </summary>
[Collection(BrowserCollectionB.Name)]
public sealed class DashboardAuthTests(PostgresFixture pg) : IAsyncLifetime
{
    private static readonly DateOnly From = new(2025, 9, 1);
    private static readonly DateOnly To = new(2025, 12, 31);
    private static readonly string Screenshots = HeadlessChromium.Screenshots;

    private readonly string _password = $"pw-{Guid.NewGuid():N}";
    private LoadedWarehouse _w = null!;
    private HeadlessChromium _chromium = null!;
    private IBrowser _browser = null!;
    private readonly TempDir _dir = new();

    public async Task InitializeAsync()
    {
        _w = await pg.SharedAsync("browser", 40_000, From, To);
        _chromium = await HeadlessChromium.LaunchAsync();
        _browser = _chromium.Browser;
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        _dir.Dispose();
    }

    private Dictionary<string, string?> Login =>
        new() { [DashboardAccess.UserVariable] = "analyst", [DashboardAccess.PasswordVariable] = _password };

    private async Task SignInAsync(IPage page, string password)
    {
        await page.Locator("[data-testid=login-user]").FillAsync("analyst");
        await page.Locator("[data-testid=login-password]").FillAsync(password);
        await page.Locator("[data-testid=login-submit]").ClickAsync();
    }

    [Fact]
    public async Task An_exposed_dashboard_asks_for_a_login_refuses_a_wrong_password_and_protects_every_endpoint()
    {
        await using var app = await DashboardProcess.StartAsync(_w.Settings, _dir.Path, Login, "0.0.0.0");
        var context = await _browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 1200 } });
        var page = await context.NewPageAsync();

        await page.GotoAsync($"{app.Url}/?preset=7d");
        await page.WaitForURLAsync("**/login?**");
        await Assertions.Expect(page.Locator("[data-testid=login-form]")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#dashboard").CountAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "09-login.png") });

        await SignInAsync(page, "not-the-password");
        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#dashboard").CountAsync());

        await SignInAsync(page, _password);
        await page.WaitForURLAsync("**/?preset=7d");
        await page.Locator("#dashboard[data-ready=true]").WaitForAsync(new() { Timeout = 30_000 });
        var expected = await _w.KpisFromFactsAsync(To.AddDays(-6), To, [], []);
        await Assertions.Expect(page.Locator("[data-testid=kpi-revenue]"))
            .ToHaveAttributeAsync("data-value", expected.Revenue.ToString(CultureInfo.InvariantCulture), new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "10-signed-in.png"), FullPage = true });

        // The signed-in browser may download; a client without the cookie gets nothing from the exports or the hub.
        var download = await page.APIRequest.GetAsync($"{app.Url}/export/top-products.csv?preset=7d");
        Assert.Equal(200, download.Status);
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{app.Url}/export/top-products.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{app.Url}/export/daily.csv")).StatusCode);
        Assert.Equal(
            HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"{app.Url}/_blazor/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{app.Url}/_blazor?id=x")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{app.Url}/metrics")).StatusCode);
        // Health checks (compose, load balancers) need no login; the answer says nothing about the sales.
        Assert.Equal("\"ok\"", await (await anonymous.GetAsync($"{app.Url}/health")).Content.ReadAsStringAsync());
        var html = new HttpRequestMessage(HttpMethod.Get, $"{app.Url}/");
        html.Headers.Accept.ParseAdd("text/html");
        var redirect = await anonymous.SendAsync(html);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith("/login", redirect.Headers.Location!.PathAndQuery);

        // Guessing is rate limited per client address: after a few tries even the right password waits.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < DashboardAuth.AttemptsPerMinute + 2; i++)
        {
            var form = await page.APIRequest.GetAsync($"{app.Url}/login");
            var token = System.Text.RegularExpressions.Regex.Match(
                await form.TextAsync(), "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
            var attempt = await page.APIRequest.PostAsync($"{app.Url}/login", new()
            {
                Form = page.APIRequest.CreateFormData().Set("user", "analyst").Set("password", $"guess{i}").Set("returnUrl", "/")
                    .Set("__RequestVerificationToken", token),
                MaxRedirects = 0,
            });
            statuses.Add((HttpStatusCode)attempt.Status);
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Redirect or HttpStatusCode.TooManyRequests, s.ToString()));

        // The password never reaches the output.
        Assert.DoesNotContain(_password, app.Output);
        await context.CloseAsync();
    }

    [Fact]
    public async Task Exposed_without_credentials_the_dashboard_refuses_to_start_in_one_line()
    {
        var result = await CliProcess.RunAsync(_dir.Path, CliProcess.Env(_w.Settings), "dashboard", "--urls", "http://0.0.0.0:1");
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.All.Trim().Split('\n'));
        Assert.Contains("DASHBOARD_USER", line);
        Assert.Contains("DASHBOARD_PASSWORD", line);
        Assert.Contains("--no-auth", line);
    }

    [Fact]
    public async Task No_auth_serves_the_network_with_a_warning_and_loopback_stays_open()
    {
        await using (var open = await DashboardProcess.StartAsync(
            _w.Settings, _dir.Path, new Dictionary<string, string?>(), "0.0.0.0", "dashboard", "--no-auth"))
        {
            Assert.Contains("warning: --no-auth", open.Output);
            using var http = new HttpClient();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{open.Url}/export/daily.csv")).StatusCode);
        }
        // Loopback with credentials set: still open, as before.
        await using var loopback = await DashboardProcess.StartAsync(_w.Settings, _dir.Path, Login, "127.0.0.1");
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{loopback.Url}/export/daily.csv")).StatusCode);
        Assert.DoesNotContain("warning", loopback.Output);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8501", true)]
    [InlineData("http://localhost:8501", true)]
    [InlineData("http://[::1]:8501", true)]
    [InlineData("http://127.0.0.1:1;http://[::1]:2", true)]
    [InlineData("http://0.0.0.0:8501", false)]
    [InlineData("http://*:8501", false)]
    [InlineData("http://+:8501", false)]
    [InlineData("http://[::]:8501", false)]
    [InlineData("http://192.168.1.20:8501", false)]
    [InlineData("http://dashboard.example:8501", false)]
    [InlineData("http://127.0.0.1:1;http://0.0.0.0:2", false)]
    [InlineData("not a url", false)]
    public void Only_loopback_binds_count_as_loopback(string urls, bool loopback) =>
        Assert.Equal(loopback, DashboardAccess.IsLoopbackOnly(urls));

    [Fact]
    public void Credentials_match_exactly_and_never_print_the_password()
    {
        var c = new DashboardCredentials("analyst", "s3cret");
        Assert.True(c.Matches("analyst", "s3cret"));
        Assert.False(c.Matches("analyst", "s3cret "));
        Assert.False(c.Matches("analyst", "S3cret"));
        Assert.False(c.Matches("analys", "s3cret"));
        Assert.False(c.Matches(null, null));
        Assert.DoesNotContain("s3cret", c.ToString());
        Assert.Throws<Retail.Data.Configuration.SettingsException>(
            () => DashboardAccess.Resolve("http://0.0.0.0:1", _ => null, noAuth: false));
        Assert.False(DashboardAccess.Resolve("http://0.0.0.0:1", _ => null, noAuth: true).RequiresLogin);
        Assert.True(
            DashboardAccess.Resolve("http://0.0.0.0:1", k => k == DashboardAccess.UserVariable ? "a" : "b", noAuth: false).RequiresLogin);
        Assert.Equal("/", DashboardAuth.LocalOrRoot("//evil.example/"));
        Assert.Equal("/", DashboardAuth.LocalOrRoot("https://evil.example/"));
        Assert.Equal("/?preset=7d", DashboardAuth.LocalOrRoot("/?preset=7d"));
    }
}
