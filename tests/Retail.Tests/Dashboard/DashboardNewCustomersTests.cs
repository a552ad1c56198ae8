using System.Globalization;
using Microsoft.Playwright;
using Retail.Data.Queries;
using Retail.Tests.Customers;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// The "New and repeat loyalty customers" card (issue #12) in real headless Chromium against a real `retail dashboard`
/// process: new customers are SQL's count on the published facts, the customer estimate is within its bound, repeat is
/// their difference, the definitions are on screen, and the page with the card, the mix card and an open heat cell
/// panel (both with their CSV links) has no serious or critical axe violations.
/// </summary>
[Collection(BrowserCollectionB.Name)]
public sealed class DashboardNewCustomersTests(PostgresFixture pg) : BrowserDashboardTest(pg)
{
    [Fact]
    public async Task The_card_shows_the_new_customers_of_sql_on_the_facts_and_a_store_filter_narrows_them()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        // Crosses a month end, with whole weeks and edge days; then one store; then a category, which does not apply.
        var (from, to) = (new DateOnly(2025, 10, 8), new DateOnly(2025, 11, 19));
        var range = "preset=custom&from=2025-10-08&to=2025-11-19";
        foreach (var (query, stores, shot) in new (string, string[], string)[]
                 {
                     (range, [], "newcust-01-all-stores"),
                     (range + "&stores=HEN,BAR", ["HEN", "BAR"], "newcust-02-hendon-barnet"),
                     (range + "&stores=HEN,BAR&categories=Toys", ["HEN", "BAR"], "newcust-03-category-does-not-apply"),
                 })
        {
            var page = await DashboardPages.OpenAsync(Chromium.Browser, $"{app.Url}/?{query}");
            await DashboardPages.WaitSettledAsync(page);
            var keys = stores.Length == 0 ? null : await StoreKeysAsync(stores);
            var expectedNew = await NewCustomerFacts.NewAsync(W.Db, from, to, keys);
            var customers = await NewCustomerFacts.CustomersAsync(W.Db, from, to, keys);
            Assert.True(expectedNew > 0, $"{query}: no new customers in the test data");
            var card = page.Locator("[data-testid=newcust-card]");
            await Assertions.Expect(card).ToHaveAttributeAsync("data-loaded", "true", new() { Timeout = 15_000 });
            await Assertions.Expect(card).ToHaveAttributeAsync("data-new", Inv(expectedNew), new() { Timeout = 15_000 });
            await Assertions.Expect(card.Locator("[data-testid=newcust-new-count]")).ToHaveTextAsync(expectedNew.ToString("N0",
                CultureInfo.InvariantCulture));
            var shown = long.Parse((await card.GetAttributeAsync("data-customers"))!, CultureInfo.InvariantCulture);
            Assert.InRange(shown, customers * (1 - Kpis.UniqueCustomersErrorBound), customers * (1 + Kpis.UniqueCustomersErrorBound));
            var mix = new CustomerMix(shown, expectedNew);
            await Assertions.Expect(card).ToHaveAttributeAsync("data-repeat", Inv(mix.Repeat));
            await Assertions.Expect(card.Locator("[data-testid=newcust-repeat-count]"))
                .ToHaveTextAsync($"≈ {mix.Repeat.ToString("N0", CultureInfo.InvariantCulture)} (± "
                    + $"{mix.RepeatBound.ToString("N0", CultureInfo.InvariantCulture)})");
            await Assertions.Expect(card.Locator("[data-testid=newcust-new-share]"))
                .ToHaveTextAsync(mix.NewSharePercent.ToString("0.0", CultureInfo.InvariantCulture) + "%");
            await Assertions.Expect(card.Locator("[data-testid=newcust-definitions]")).ToContainTextAsync(
                "The category filter does not apply here");
            await Assertions.Expect(card.Locator("[data-testid=newcust-repeat] th")).ToHaveTextAsync("Repeat (estimate)");
            await DashboardPages.ShotAsync(page, shot);
        }
    }

    [Fact]
    public async Task The_new_card_and_the_csv_links_have_no_serious_or_critical_accessibility_violations()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var page = await DashboardPages.OpenAsync(Chromium.Browser, $"{app.Url}/?preset=90d&cell=5-14");
        await DashboardPages.WaitSettledAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=newcust-card]")).ToHaveAttributeAsync("data-loaded", "true",
            new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=export-mix]"))
            .ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"^export/mix\.csv\?preset=90d.*cell=5-14"));
        await Assertions.Expect(page.Locator("[data-testid=export-heat-cell]"))
            .ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"^export/heat-cell\.csv\?preset=90d.*cell=5-14"));
        var problems = await AxeScan.SeriousAsync(page, "new customers, cell open");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await DashboardPages.ShotAsync(page, "newcust-04-cell-and-links");
    }

    private static string Inv(long v) => v.ToString(CultureInfo.InvariantCulture);

    private async Task<short[]> StoreKeysAsync(string[] codes)
    {
        await using var cmd = W.Db.CreateCommand("SELECT array_agg(store_key) FROM marts.dim_store WHERE store_code = ANY ($1)");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = codes });
        var keys = (short[])(await cmd.ExecuteScalarAsync())!;
        Assert.Equal(codes.Length, keys.Length);
        return keys;
    }
}
