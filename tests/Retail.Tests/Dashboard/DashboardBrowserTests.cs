using System.Globalization;
using Microsoft.Playwright;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>Real headless Chromium (Debian's) driven by Playwright against the real dashboard process.</summary>
[Collection(BrowserCollectionB.Name)]
public sealed class DashboardBrowserTests(PostgresFixture pg) : IAsyncLifetime
{
    private static readonly DateOnly From = new(2025, 9, 1);
    private static readonly DateOnly To = new(2025, 12, 31);
    private static readonly string Screenshots = HeadlessChromium.Screenshots;

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

    private async Task<IPage> OpenAsync(string url, int width = 1400)
    {
        var context = await _browser.NewContextAsync(
            new() { ViewportSize = new() { Width = width, Height = 1600 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        // The page marks itself once the interactive circuit is up; clicking before that does nothing.
        await page.Locator("#dashboard[data-ready=true]").WaitForAsync(new() { Timeout = 30_000 });
        return page;
    }

    /// <summary>The KPI cards against SQL on the facts for one filter.</summary>
    private Task ExpectKpis(IPage page, DateOnly from, DateOnly to, string[] stores, string[] categories) =>
        ExpectKpis(page, _w.Db, from, to, stores, categories);

    private static async Task ExpectKpis(IPage page, Npgsql.NpgsqlDataSource db, DateOnly from, DateOnly to, string[] stores,
        string[] categories)
    {
        var expected = await db.KpisFromFactsAsync(from, to, stores, categories);
        var receipts = await db.ReceiptsFromFactsAsync(from, to, stores, categories);
        await Assertions.Expect(page.Locator("[data-testid=kpi-revenue]"))
            .ToHaveAttributeAsync("data-value", expected.Revenue.ToString(CultureInfo.InvariantCulture), new() { Timeout = 15_000 });
        // Transactions are sales receipts (the average transaction value's divisor); refund-only ones are named beside.
        await Assertions.Expect(page.Locator("[data-testid=kpi-transactions]"))
            .ToHaveAttributeAsync("data-value", receipts.Sales.ToString(CultureInfo.InvariantCulture));
        Assert.Contains($"{receipts.RefundOnly.ToString("N0", CultureInfo.InvariantCulture)} refund-only receipts not counted",
            await page.Locator("[data-testid=definition-transactions]").InnerTextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=kpi-units]"))
            .ToHaveAttributeAsync("data-value", expected.Units.ToString(CultureInfo.InvariantCulture));
        // Unique customers are a HyperLogLog estimate, shown with its bound: within it of the exact count.
        var customers = long.Parse(
            (await page.Locator("[data-testid=kpi-customers]").GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
        Assert.InRange(customers,
            expected.Customers * (1 - Retail.Data.Queries.Kpis.UniqueCustomersErrorBound),
            expected.Customers * (1 + Retail.Data.Queries.Kpis.UniqueCustomersErrorBound));
        Assert.Contains(
            "(estimate, ±5%)", await page.Locator("[data-testid=kpi-customers-value]").InnerTextAsync(), StringComparison.Ordinal);
        var revenueText = await page.Locator("[data-testid=kpi-revenue-value]").InnerTextAsync();
        Assert.Equal((expected.Revenue / 100m).ToString("£#,##0.00", CultureInfo.InvariantCulture), revenueText.Trim());
    }

    [Fact]
    public async Task Sales_returns_discounts_and_baskets_are_defined_on_screen_and_equal_sql_on_the_facts()
    {
        await using var app = await DashboardProcess.StartAsync(_w.Settings, _dir.Path);
        var page = await OpenAsync($"{app.Url}/?from={From:yyyy-MM-dd}&to={To:yyyy-MM-dd}&stores=HEN,BAR");
        await using var cmd = _w.Db.CreateCommand("""
            WITH r AS (
                SELECT f.transaction_id, sum(f.line_total_pence) FILTER (WHERE f.quantity > 0) AS gross,
                       -sum(f.line_total_pence) FILTER (WHERE f.quantity < 0) AS returns, sum(f.discount_pence) AS discount,
                       sum(f.quantity) FILTER (WHERE f.quantity > 0) AS sold
                FROM marts.fct_sales f JOIN marts.dim_store s USING (store_key)
                WHERE f.sale_date BETWEEN $1 AND $2 AND s.store_code IN ('HEN', 'BAR')
                GROUP BY f.transaction_id)
            SELECT coalesce(sum(gross), 0)::bigint, coalesce(sum(returns), 0)::bigint, sum(discount)::bigint,
                   coalesce(sum(sold), 0)::bigint
            FROM r
            """);
        cmd.Parameters.Add(new() { Value = From });
        cmd.Parameters.Add(new() { Value = To });
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        var (gross, returns, discount, sold) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3));
        var (salesReceipts, refundOnly) = await _w.Db.ReceiptsFromFactsAsync(From, To, ["HEN", "BAR"], []);
        Assert.True(returns > 0 && discount > 0 && salesReceipts > 0 && refundOnly > 0,
            "the test data must have returns, discounts, sales and refund-only receipts");

        async Task Expect(string id, long value) =>
            await Assertions.Expect(page.Locator($"[data-testid=measure-{id}]"))
                .ToHaveAttributeAsync("data-value", value.ToString(CultureInfo.InvariantCulture), new() { Timeout = 15_000 });
        await Expect("gross", gross);
        await Expect("returns", returns);
        await Expect("discounts", discount);
        await Expect("refunds", refundOnly);
        await Expect("basket", (long)(Math.Round((decimal)sold / salesReceipts, 2) * 100m));
        Assert.Equal((gross / 100m).ToString("£#,##0.00", CultureInfo.InvariantCulture),
            (await page.Locator("[data-testid=measure-gross-value]").InnerTextAsync()).Trim());
        var returnsText = await page.Locator("[data-testid=measure-returns-value]").InnerTextAsync();
        Assert.Contains(
            $"({Math.Round(100m * returns / gross, 2).ToString("0.00", CultureInfo.InvariantCulture)}%)",
            returnsText, StringComparison.Ordinal);
        // Each measure says what it is, and the Transactions card counts the sales receipts the basket is taken over.
        Assert.Contains("returns only; not in Transactions",
            await page.Locator("[data-testid=measure-refunds]").InnerTextAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=kpi-transactions]"))
            .ToHaveAttributeAsync("data-value", salesReceipts.ToString(CultureInfo.InvariantCulture));
        // The freshness line states the load time with its offset (Razor once printed the expression's source here).
        Assert.Matches(@"Figures include every load up to \d{2} \w{3} \d{4} \d{2}:\d{2} \(UTC[+-]\d{2}:\d{2}\)",
            await page.Locator("[data-testid=freshness]").InnerTextAsync());
        // and how far the sales go: the latest sale date, not the file of whichever batch happened to load last.
        await Assertions.Expect(page.Locator("[data-testid=sales-up-to]")).ToHaveTextAsync("· sales up to Wed 31 Dec 2025");
        await Shot(page, "measures-hen-bar");
    }

    /// <summary>Closes a MudSelect popover and waits until it is gone, so the next click reaches the page.</summary>
    private static async Task CloseSelectAsync(IPage page)
    {
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByRole(AriaRole.Option)).ToHaveCountAsync(0, new() { Timeout = 10_000 });
    }

    private async Task Shot(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"{name}.png"), FullPage = true });

    [Fact]
    public async Task Kpis_filters_presets_and_top_products_show_the_warehouse_numbers()
    {
        await using var app = await DashboardProcess.StartAsync(_w.Settings, _dir.Path);
        var page = await OpenAsync(app.Url);
        // Default view: the last 30 days of data.
        await ExpectKpis(page, To.AddDays(-29), To, [], []);
        await Shot(page, "01-default-30-days");

        // Store filter: pick Hendon in the multi-select.
        await page.Locator("[data-testid=store-filter]").ClickAsync();
        await HeadlessChromium.ClickUntilUrlAsync(page, page.GetByRole(AriaRole.Option, new() { Name = "Argos Hendon" }), "**stores=HEN**");
        await CloseSelectAsync(page);
        await ExpectKpis(page, To.AddDays(-29), To, ["HEN"], []);

        // Category filter on top of it.
        await page.Locator("[data-testid=category-filter]").ClickAsync();
        await HeadlessChromium.ClickUntilUrlAsync(page, page.GetByRole(AriaRole.Option, new() { Name = "Toys" }), "**categories=Toys**");
        await CloseSelectAsync(page);
        await ExpectKpis(page, To.AddDays(-29), To, ["HEN"], ["Toys"]);
        await Shot(page, "02-hendon-toys");

        // Date preset: last 7 days, keeping the other filters.
        await HeadlessChromium.ClickUntilUrlAsync(page, page.Locator("[data-testid=preset-7d]"), "**preset=7d**");
        await ExpectKpis(page, To.AddDays(-6), To, ["HEN"], ["Toys"]);
        Assert.Contains("stores=HEN", page.Url);
        await Shot(page, "03-preset-7-days");

        // Dark mode: the page background really turns dark, and everything stays on screen.
        const string brightness = "() => { const [r, g, b] = "
            + "getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return r + g + b; }";
        Assert.True(await page.EvaluateAsync<int>(brightness) > 600, "light mode starts light");
        await HeadlessChromium.ToggleUntilAsync(page.GetByLabel("toggle dark mode"), pressed: true);
        await page.WaitForFunctionAsync($"() => ({brightness})() < 200");
        await Assertions.Expect(page.Locator("[data-testid=kpi-revenue]")).ToBeVisibleAsync();
        await Shot(page, "08-dark-mode");
    }

    [Fact]
    public async Task A_bookmarked_url_restores_its_view_and_the_csv_download_matches_the_table()
    {
        await using var app = await DashboardProcess.StartAsync(_w.Settings, _dir.Path);
        var page = await OpenAsync($"{app.Url}/?preset=90d&stores=BAR,MLH&top=units");
        await ExpectKpis(page, To.AddDays(-89), To, ["BAR", "MLH"], []);
        var shown = await page.Locator("[data-testid=store-filter]").InputValueAsync();
        Assert.Contains("Argos Barnet", shown);
        Assert.Contains("Argos Mill Hill", shown);
        var expectedTop = await _w.TopFromFactsAsync(To.AddDays(-89), To, ["BAR", "MLH"], byUnits: true);
        var rows = page.Locator("[data-testid=top-products] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(10);
        Assert.Equal(expectedTop.Select(t => t.Sku), await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.sku)"));
        await Shot(page, "04-bookmarked-barnet-mill-hill-by-units");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export-top]").ClickAsync());
        var csv = await File.ReadAllLinesAsync(await download.PathAsync());
        Assert.Equal("rank,sku,product,category,units,revenue,share_percent", csv[0]);
        Assert.Equal(expectedTop.Select(t => t.Sku), csv.Skip(1).Select(l => l.Split(',')[1]));
        Assert.Equal(expectedTop.Select(t => (t.Revenue / 100m).ToString("0.00", CultureInfo.InvariantCulture)),
            csv.Skip(1).Select(l => l.Split(',')[^2]));

        // Phone width still renders the KPIs.
        var phone = await OpenAsync($"{app.Url}/?preset=90d&stores=BAR,MLH", width: 390);
        await Assertions.Expect(phone.Locator("[data-testid=kpi-revenue]")).ToBeVisibleAsync();
        await Shot(phone, "05-phone");
    }

    [Fact]
    public async Task The_page_follows_new_loads_and_survives_the_database_going_away()
    {
        var home = Path.Combine("/tmp", $"retail-test-{Guid.NewGuid():N}"[..24]);
        var settings = new Retail.Data.Configuration.DatabaseSettings { RetailHome = home, Name = "retail" };
        var cluster = new Retail.Data.Embedded.EmbeddedCluster(settings, new Dictionary<string, string> { ["fsync"] = "off" });
        try
        {
            var port = await cluster.StartAsync(CancellationToken.None);
            var db = settings with { Host = "127.0.0.1", Port = port };
            await using var ds = pg.Endpoint(db).CreateDataSource();
            using var staging = new TempDir();
            await new Retail.Pipeline.Staging.StagingWriter(
                Retail.Core.Generation.SalesGenerator.Create(new(8_000, 3, new DateOnly(2025, 12, 1), new DateOnly(2025, 12, 10))),
                staging.Path, false, 2)
                .WriteAsync(null, CancellationToken.None);
            var files = Directory.GetFiles(staging.Path, "sales_*.csv").Order().ToArray();
            // As `retail load` does: the schema step first (the loader no longer applies it itself).
            await Retail.Data.Warehouse.WarehouseSchema.ApplyAsync(ds, CancellationToken.None);
            var loader = new Retail.Data.Loading.WarehouseLoader(ds, TimeProvider.System);
            // The later days first, so the last batch loaded (1–5 Dec) is not the latest day.
            await loader.LoadAsync(files[5..], new(), null, CancellationToken.None);

            await using var app = await DashboardProcess.StartAsync(db, _dir.Path);
            var page = await OpenAsync($"{app.Url}/?preset=all");
            await ExpectKpis(page, ds, new DateOnly(2025, 12, 1), new DateOnly(2025, 12, 10), [], []);

            // A load commits while the page is open: the page catches up by itself.
            await loader.LoadAsync(files[..5], new(), null, CancellationToken.None);
            await ExpectKpis(page, ds, new DateOnly(2025, 12, 1), new DateOnly(2025, 12, 10), [], []);
            await Assertions.Expect(page.Locator("[data-testid=freshness]")).ToContainTextAsync("in 10 batches");
            // How far the sales go is the latest sale date, not the last batch's file (5 Dec).
            await Assertions.Expect(page.Locator("[data-testid=sales-up-to]")).ToHaveTextAsync("· sales up to Wed 10 Dec 2025");

            // The database goes away: a banner, no error page; it comes back: the page recovers.
            await cluster.StopAsync(CancellationToken.None);
            await Assertions.Expect(page.Locator("[data-testid=db-banner]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Shot(page, "07-database-down");
            await cluster.StartAsync(CancellationToken.None);
            await Assertions.Expect(page.Locator("[data-testid=db-banner]")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("[data-testid=kpi-revenue]")).ToBeVisibleAsync();
        }
        finally
        {
            await cluster.StopAsync(CancellationToken.None);
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task An_empty_warehouse_shows_how_to_load_data()
    {
        var empty = await pg.CreateDatabaseAsync("empty");
        await using var app = await DashboardProcess.StartAsync(empty, _dir.Path);
        var page = await OpenAsync(app.Url);
        await Assertions.Expect(page.Locator("[data-testid=empty-state]")).ToContainTextAsync("./retail generate && ./retail load");
        await Shot(page, "06-empty-warehouse");
        using var http = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync($"{app.Url}/health")).StatusCode);
    }
}
