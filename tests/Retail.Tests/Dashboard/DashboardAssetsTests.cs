using System.Net;
using System.Text.RegularExpressions;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// A real `retail dashboard` serves its static assets as built: the build-time gzip of MudBlazor's stylesheet (not the
/// whole file re-wrapped at level 0 on every request, as the development handling did) and its own fingerprinted files
/// cached as immutable.
/// </summary>
[Collection(BrowserCollectionB.Name)]
public sealed partial class DashboardAssetsTests(PostgresFixture pg)
{
    [Fact]
    public async Task Assets_go_out_with_their_build_time_gzip_and_fingerprinted_ones_are_cached()
    {
        var w = await pg.SharedAsync("browser", 40_000, new DateOnly(2025, 9, 1), new DateOnly(2025, 12, 31));
        using var dir = new TempDir();
        await using var app = await DashboardProcess.StartAsync(w.Settings, dir.Path);
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None });

        const string css = "_content/MudBlazor/MudBlazor.min.css";
        var plain = (await http.GetByteArrayAsync($"{app.Url}/{css}")).Length;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{app.Url}/{css}");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var gzipped = await http.SendAsync(request);
        Assert.Equal("gzip", Assert.Single(gzipped.Content.Headers.ContentEncoding));
        var sent = (await gzipped.Content.ReadAsByteArrayAsync()).Length;
        // CSS gzips to about a tenth; level 0 (what went out before) is the whole file plus framing.
        Assert.True(sent * 4 < plain, $"{css}: {sent} bytes gzipped against {plain} plain");

        var page = await http.GetStringAsync($"{app.Url}/");
        var appCss = FingerprintedCss().Match(page);
        Assert.True(appCss.Success, "the page links no fingerprinted app.*.css");
        using var cached = await http.GetAsync($"{app.Url}/{appCss.Value}");
        cached.EnsureSuccessStatusCode();
        Assert.Contains("immutable", cached.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"app\.[a-z0-9]+\.css")]
    private static partial Regex FingerprintedCss();
}
