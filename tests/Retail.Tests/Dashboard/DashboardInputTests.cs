using System.Net;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>Hostile URLs against a real 'retail dashboard' process: bounded answers, 4xx for bad input, never a 500.</summary>
[Collection(BrowserCollectionB.Name)]
public sealed class DashboardInputTests(PostgresFixture pg) : IAsyncLifetime
{
    private static readonly DateOnly From = new(2025, 9, 1);
    private static readonly DateOnly To = new(2025, 12, 31);
    private LoadedWarehouse _w = null!;
    private DashboardProcess _app = null!;
    private readonly TempDir _dir = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        _w = await pg.SharedAsync("browser", 40_000, From, To);
        _app = await DashboardProcess.StartAsync(_w.Settings, _dir.Path);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string pathAndQuery)
    {
        using var response = await _http.GetAsync(_app.Url + pathAndQuery);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/?from=1950-01-01&to=2049-12-31")]
    [InlineData("/?preset=custom&from=0001-01-01&to=9999-12-31")]
    [InlineData("/?from=5002-01-01&to=9999-12-30")]
    public async Task A_huge_range_is_clamped_to_the_data_on_the_page_and_in_the_exports(string query)
    {
        var (status, page) = await GetAsync(query);
        Assert.Equal(HttpStatusCode.OK, status);
        // A 100-year range used to render a 16 MB page (one chart point per day); the data has 122 days.
        Assert.True(page.Length < 1_000_000, $"page is {page.Length:N0} characters");

        var (csvStatus, csv) = await GetAsync("/export/daily.csv" + query[1..]);
        Assert.Equal(HttpStatusCode.OK, csvStatus);
        var days = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(l => DateOnly.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(days);
        Assert.All(days, d => Assert.InRange(d, From, To));
    }

    [Theory]
    [InlineData("?from=0001-01-01&to=0001-01-03")]
    [InlineData("?from=0001-01-01&to=0001-12-31")]
    [InlineData("?from=9999-12-29&to=9999-12-31")]
    [InlineData("?preset=custom&from=0001-01-01&to=0001-01-01&top=units")]
    public async Task Dates_at_the_ends_of_the_calendar_give_an_answer_not_a_500(string query)
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/" + query)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/export/daily.csv" + query)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/export/top-products.csv" + query)).Status);
    }

    [Theory]
    [InlineData("?from=2025-13-01&to=2025-12-01", "from")]
    [InlineData("?from=2025-10-01&to=tomorrow", "to")]
    [InlineData("?preset=century", "preset")]
    public async Task A_bad_value_is_a_400_with_one_clear_line_on_the_exports_and_a_warning_on_the_page(string query, string key)
    {
        foreach (var export in new[] { "/export/daily.csv", "/export/top-products.csv" })
        {
            var (status, body) = await GetAsync(export + query);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Single(body.Trim().Split('\n'));
            Assert.StartsWith(key, body);
        }
        var (pageStatus, page) = await GetAsync("/" + query);
        Assert.Equal(HttpStatusCode.OK, pageStatus);
        Assert.Contains("data-testid=\"url-problems\"", page);
    }

    [Fact]
    public async Task Long_lists_and_long_query_strings_are_bounded()
    {
        // ~6 KB of store and category codes: under Kestrel's request-line limit, so the app itself must bound the work.
        var stores = string.Join(',', Enumerable.Range(0, 500).Select(i => $"S{i}"));
        var (status, page) = await GetAsync($"/?stores={stores}&categories={stores}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("data-testid=\"url-problems\"", page);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync($"/export/top-products.csv?stores={stores}")).Status);

        // Beyond the request-line limit: refused before the app, with a 4xx.
        var huge = new string('a', 100_000);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, (await GetAsync($"/?stores={huge}")).Status);
        Assert.Equal(HttpStatusCode.RequestUriTooLong, (await GetAsync($"/export/daily.csv?stores={huge}")).Status);

        // And the server is still there.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/health")).Status);
    }
}
