using System.Globalization;
using Microsoft.Playwright;
using Retail.Data.Queries;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// The "Channel, payment and loyalty mix" card (issue #12) in real headless Chromium against a real `retail dashboard` process:
/// its shares of net revenue and of sales receipts, for a filter and after a drill-down, are those of SQL on the facts.
/// </summary>
[Collection(BrowserCollectionA.Name)]
public sealed class DashboardMixTests(PostgresFixture pg) : BrowserDashboardTest(pg)
{
    [Fact]
    public async Task The_mix_card_shows_the_shares_of_sql_on_the_facts_for_the_filter_and_follows_a_drill_down()
    {
        await using var app = await DashboardProcess.StartAsync(W.Settings, Dir.Path);
        var (from, to) = (new DateOnly(2025, 9, 24), new DateOnly(2025, 11, 12));
        var page = await DashboardPages.OpenAsync(Chromium.Browser,
            $"{app.Url}/?preset=custom&from=2025-09-24&to=2025-11-12&stores=HEN,BAR&categories=Toys,Technology");
        await DashboardPages.WaitSettledAsync(page);
        var card = page.Locator("[data-testid=mix-card]");
        await Assertions.Expect(card).ToHaveAttributeAsync("data-loaded", "true", new() { Timeout = 15_000 });
        await Assertions.Expect(card.Locator("[data-testid=mix-scope]"))
            .ToContainTextAsync("For the current filter: Wed 24 Sep 2025 to Wed 12 Nov 2025");
        await Assertions.Expect(card.Locator("[data-testid=mix-definitions]")).ToContainTextAsync("Share of sales receipts");
        await ExpectSharesAsync(page, new SalesFilter(from, to, await KeysAsync("store", ["HEN", "BAR"]),
            await KeysAsync("category", ["Toys", "Technology"])));
        // Channels, payment methods and cards are shown, not offered as filters: nothing in the card to click but its CSV link.
        Assert.Equal(0, await card.Locator("button, a, [role=button]")
            .Filter(new() { HasNotText = "CSV" }).CountAsync());
        await Assertions.Expect(card.Locator("[data-testid=export-mix]")).ToHaveCountAsync(1);
        await Assertions.Expect(card.Locator("[data-testid=mix-loyalty] tbody th"))
            .ToHaveTextAsync(["With a loyalty card", "Without a card"], new() { Timeout = 15_000 });
        await DashboardPages.ShotAsync(page, "mix-01-hendon-barnet-toys-technology");

        // A drill-down in the same circuit reloads the card with the narrower filter.
        await HeadlessChromium.ClickUntilUrlAsync(
            page, page.GetByRole(AriaRole.Button, new() { Name = "Filter to Toys" }), "**categories=Toys**");
        await ExpectSharesAsync(page, new SalesFilter(from, to, await KeysAsync("store", ["HEN", "BAR"]),
            await KeysAsync("category", ["Toys"])));
    }

    private async Task ExpectSharesAsync(IPage page, SalesFilter f)
    {
        foreach (var part in new[] { "channel", "payment", "loyalty" })
        {
            var expected = await MixQueriesTests.FromFactsAsync(W.Db, part, f);
            Assert.Contains(expected, e => e.Item2 > 0);
            var (revenue, sales) = (expected.Sum(e => e.Item2), expected.Sum(e => e.Item5 - e.Item6));
            var rows = page.Locator($"[data-testid=mix-{part}] tbody tr");
            await Assertions.Expect(rows).ToHaveCountAsync(expected.Count);
            foreach (var (name, rev, _, _, receipts, refunds) in expected)
            {
                var row = page.Locator($"[data-testid=mix-{part}] tbody tr[data-name='{name}']");
                await Assertions.Expect(row).ToHaveAttributeAsync("data-revenue", rev.ToString(CultureInfo.InvariantCulture),
                    new() { Timeout = 15_000 });
                await Assertions.Expect(row.Locator("[data-testid=revenue-share]")).ToHaveTextAsync(Percent(rev, revenue));
                await Assertions.Expect(row.Locator("[data-testid=receipt-share]")).ToHaveTextAsync(Percent(receipts - refunds, sales));
            }
        }
    }

    private static string Percent(long part, long total) =>
        (total == 0 ? 0m : Math.Round(100m * part / total, 2)).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private async Task<short[]> KeysAsync(string dimension, string[] codes)
    {
        var sql = dimension == "store"
            ? "SELECT array_agg(store_key) FROM marts.dim_store WHERE store_code = ANY ($1)"
            : "SELECT array_agg(category_key) FROM marts.dim_category WHERE category_name = ANY ($1)";
        await using var cmd = W.Db.CreateCommand(sql);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = codes });
        var keys = (short[])(await cmd.ExecuteScalarAsync())!;
        Assert.Equal(codes.Length, keys.Length);
        return keys;
    }
}
