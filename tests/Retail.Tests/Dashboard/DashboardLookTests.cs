using Microsoft.Playwright;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// What an analyst sees at a glance (issue #12's "look the part"): the chosen date preset stands out, change cells keep
/// their green and red in dark mode, charts fill their cards, and the labels of marked days are not cut off.
/// Real Chromium, real `retail dashboard` process.
/// </summary>
[Collection(BrowserCollectionB.Name)]
public sealed class DashboardLookTests(PostgresFixture pg) : BrowserDashboardTest(pg)
{
    private async Task<IPage> OpenAsync(string url, ColorScheme scheme = ColorScheme.Light, int width = 1440)
    {
        var page = await DashboardPages.OpenAsync(Chromium.Browser, url, width, scheme);
        await DashboardPages.WaitSettledAsync(page);
        return page;
    }

    /// <summary>
    /// WCAG relative luminance of an element's text and background as seen: a translucent background (a chip's tint) is
    /// laid over the nearest opaque one behind it, and text over that.
    /// </summary>
    private const string Luminances = """
        el => {
            const rgba = c => { const v = c.match(/[\d.]+/g).map(Number); return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; };
            const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3])).concat(1);
            const behind = e => { const layers = [];
                for (let n = e; n; n = n.parentElement) { const c = rgba(getComputedStyle(n).backgroundColor);
                    if (c[3] > 0) layers.push(c); if (c[3] === 1) break; }
                return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]); };
            const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => v / 255)
                .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4));
                return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
            const bg = behind(el);
            return [lum(bg), lum(over(rgba(getComputedStyle(el).color), bg))];
        }
        """;

    /// <summary>WCAG contrast ratio of two relative luminances.</summary>
    private static double Contrast(double a, double b) => (Math.Max(a, b) + 0.05) / (Math.Min(a, b) + 0.05);

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task The_chosen_preset_chip_stands_out_from_the_others_with_legible_text(ColorScheme scheme)
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?preset=30d", scheme);
        await Assertions.Expect(page.Locator("[data-testid=preset-30d]"))
            .ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-chip-selected"));
        await DashboardPages.ShotAsync(page, $"look-01-preset-chosen-{scheme.ToString().ToLowerInvariant()}");
        // Background luminance of the chosen chip against an unchosen one, and the chosen chip's text contrast.
        var chosen = await page.Locator("[data-testid=preset-30d]").EvaluateAsync<double[]>(Luminances);
        var other = await page.Locator("[data-testid=preset-7d]").EvaluateAsync<double[]>(Luminances);
        var (chosenBg, otherBg) = (chosen[0], other[0]);
        var contrast = Contrast(chosen[0], chosen[1]);
        // A chip that only loses its fill (MudBlazor's default) reads as the unselected one: it must differ clearly.
        var ratio = Contrast(chosenBg, otherBg);
        Assert.True(ratio >= 3, $"the chosen preset's background is {ratio:0.00}:1 against the others'");
        Assert.True(contrast >= 4.5, $"the chosen preset's text is {contrast:0.00}:1 on its background");
    }

    /// <summary>Revenue has one colour in each theme: the daily chart's line and the tables' revenue bars, 3:1 on the card.</summary>
    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Revenue_is_one_colour_on_the_chart_and_the_bars_legible_on_the_card(ColorScheme scheme)
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?preset=30d", scheme);
        await page.WaitForFunctionAsync("() => document.querySelector('#daily-chart path.js-line')", null, new() { Timeout = 30_000 });
        var bar = page.Locator("[data-testid=store-table] .revenue-bar").First;
        var colour = await bar.EvaluateAsync<string>("b => getComputedStyle(b).backgroundColor");
        // The chart may be redrawn once the theme is known: wait for a line of the bar's colour, then say what was there.
        const string Lines = "() => [...document.querySelectorAll('#daily-chart path.js-line')].map(p => getComputedStyle(p).stroke)";
        try
        {
            await page.WaitForFunctionAsync($"c => ({Lines})().includes(c)", colour, new() { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
        }
        Assert.Contains(colour, await page.EvaluateAsync<string[]>(Lines));
        // The bar's colour as the text of a probe in the same card, through the same luminance script as the chips.
        var lum = await bar.EvaluateAsync<double[]>($$"""
            b => { const probe = document.createElement('span'); probe.style.color = getComputedStyle(b).backgroundColor;
                b.closest('td').appendChild(probe); const l = ({{Luminances}})(probe); probe.remove(); return l; }
            """);
        var contrast = Contrast(lum[0], lum[1]);
        Assert.True(contrast >= 3, $"revenue's {colour} is {contrast:0.00}:1 on the card in {scheme}");
    }

    [Fact]
    public async Task Change_cells_in_tables_keep_the_cards_green_and_red_in_dark_mode()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await OpenAsync($"{app.Url}/?preset=30d", ColorScheme.Dark);
        await Assertions.Expect(page.Locator("td.change-up").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("td.change-down").First).ToBeVisibleAsync();
        var colours = await page.EvaluateAsync<string[]>("""
            () => ['change-up', 'change-down'].flatMap(c => {
                const probe = document.createElement('span');
                probe.className = c;
                document.querySelector('.kpi-card').appendChild(probe);
                const card = getComputedStyle(probe).color;
                probe.remove();
                return [card, getComputedStyle(document.querySelector('td.' + c)).color];
            })
            """);
        Assert.Equal(colours[0], colours[1]);
        Assert.Equal(colours[2], colours[3]);
        Assert.NotEqual(colours[1], colours[3]);
    }

    [Fact]
    public async Task Charts_fill_their_area_and_the_black_friday_label_is_not_cut_off()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        // One store as well: a chart's box must follow its layout's height, not plotly.Blazor's fixed 350 px.
        foreach (var (query, width) in new[] { ("", 1440), ("", 390), ("&stores=HEN", 1440) })
        {
            var page = await OpenAsync($"{app.Url}/?from=2025-11-01&to=2025-12-31{query}", width: width);
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('.chart-area > div[id]')].every(d => "
                + "d.querySelector('.main-svg'))", null, new() { Timeout = 30_000 });
            // Empty space under a chart: the plot's box against the drawing plotly made in it.
            var gaps = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('.chart-area > div[id]')]
                    .map(d => [d.id, d.getBoundingClientRect().height - d.querySelector('.main-svg').getBoundingClientRect().height])
                    .filter(([, gap]) => gap > 2).map(([id, gap]) => `${id}: ${Math.round(gap)} px empty`)
                """);
            Assert.Empty(gaps);
            var label = page.Locator("#daily-chart .annotation", new() { HasText = "Black Friday" });
            await Assertions.Expect(label).ToHaveCountAsync(1);
            var tops = await label.EvaluateAsync<double[]>(
                "a => [a.getBoundingClientRect().top, a.closest('.main-svg').getBoundingClientRect().top]");
            var (labelTop, chartTop) = (tops[0], tops[1]);
            Assert.True(labelTop >= chartTop, $"the Black Friday label starts {chartTop - labelTop:0} px above the chart");
            await DashboardPages.ShotAsync(page, $"look-02-charts-{width}{query.Replace('&', '-')}");
        }
    }

    [Fact]
    public async Task Pages_load_without_a_console_error()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var context = await Chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add($"{m.Text} ({m.Location})");
            }
        };
        foreach (var path in new[] { "/?preset=30d", "/products?preset=30d" })
        {
            await page.GotoAsync(app.Url + path);
            await DashboardPages.WaitInteractiveAsync(page);
            await DashboardPages.WaitSettledAsync(page);
            // The browser asks for the icon after the page has loaded; a missing one was a 404 in every console.
            await page.WaitForTimeoutAsync(1_000);
        }
        Assert.Empty(errors);
    }
}
