using Microsoft.Playwright;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// Striped table rows in dark mode: the stripe runs under every cell of the row, the ▲/▼ change cells included, as
/// the screen shows it (pixels of a screenshot, not computed styles), and the page still passes axe's contrast check.
/// </summary>
[Collection(BrowserCollectionA.Name)]
public sealed class DashboardStripeTests(PostgresFixture pg) : BrowserDashboardTest(pg)
{
    /// <summary>The colour of each cell's top-left and bottom-right padding (no text there) in a screenshot of the row
    /// ("r,g,b").</summary>
    private static async Task<string[]> CellColoursAsync(IPage page, ILocator row)
    {
        var points = await row.EvaluateAsync<int[][]>("""
            r => { const rb = r.getBoundingClientRect();
                return [...r.cells].flatMap(c => { const b = c.getBoundingClientRect();
                    return [[Math.round(b.left - rb.left + 4), Math.round(b.top - rb.top + 3)],
                        [Math.round(b.right - rb.left - 4), Math.round(b.bottom - rb.top - 4)]]; }); }
            """);
        var png = Convert.ToBase64String(await row.ScreenshotAsync());
        return await page.EvaluateAsync<string[]>("""
            async ([png, points]) => {
                const img = await createImageBitmap(await (await fetch('data:image/png;base64,' + png)).blob());
                const canvas = new OffscreenCanvas(img.width, img.height);
                const g = canvas.getContext('2d');
                g.drawImage(img, 0, 0);
                return points.map(([x, y]) => [...g.getImageData(x, y, 1, 1).data].slice(0, 3).join(','));
            }
            """, new object[] { png, points });
    }

    [Fact]
    public async Task In_dark_mode_the_row_stripe_reaches_under_the_change_cells_and_contrast_passes()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await DashboardPages.OpenAsync(Chromium.Browser, $"{app.Url}/?preset=30d", scheme: ColorScheme.Dark);
        await DashboardPages.WaitSettledAsync(page);
        await page.WaitForFunctionAsync("() => { const [r, g, b] = "
            + "getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return r + g + b < 200; }");
        await page.Mouse.MoveAsync(0, 0);
        await Assertions.Expect(page.Locator("[data-testid=by-category-table] td[data-change]").First)
            .ToBeVisibleAsync(new() { Timeout = 15_000 });
        await page.Mouse.MoveAsync(0, 0);
        await page.EvaluateAsync("() => document.activeElement?.blur()");
        foreach (var table in new[] { "store-table", "by-category-table", "top-products" })
        {
            await AssertStripedAsync(page, table);
        }
        await DashboardPages.ShotAsync(page, "look-03-dark-stripes");
        Assert.Empty(await AxeScan.SeriousAsync(page, "dark stripes, dashboard"));
        await page.GotoAsync($"{app.Url}/products?preset=30d");
        await DashboardPages.WaitInteractiveAsync(page);
        await DashboardPages.WaitSettledAsync(page);
        await page.Mouse.MoveAsync(0, 0);
        await AssertStripedAsync(page, "product-list");
        await DashboardPages.ShotAsync(page, "look-04-dark-stripes-products");
        Assert.Empty(await AxeScan.SeriousAsync(page, "dark stripes, products"));
    }

    /// <summary>The table's first row is striped, its second not, and every cell of each row has the row's colour.</summary>
    private static async Task AssertStripedAsync(IPage page, string table)
    {
        var rows = page.Locator($"[data-testid={table}] tbody tr");
        await Assertions.Expect(rows.First.Locator("td[data-change]").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        var striped = await CellColoursAsync(page, rows.Nth(0));
        var plain = await CellColoursAsync(page, rows.Nth(1));
        Assert.True(striped[0] != plain[0], $"{table}: no stripe ({striped[0]})");
        Assert.True(striped.All(c => c == striped[0]), $"{table}: striped row cells {string.Join(" | ", striped)}");
        Assert.True(plain.All(c => c == plain[0]), $"{table}: plain row cells {string.Join(" | ", plain)}");
    }
}
