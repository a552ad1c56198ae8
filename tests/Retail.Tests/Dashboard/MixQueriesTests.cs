using Npgsql;
using NpgsqlTypes;
using Retail.Data.Queries;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Dashboard;

/// <summary>
/// The channel, payment and loyalty mix (issue #12) over the layered mix rollups equals SQL on marts.fct_sales to the penny, and
/// its receipt counts exactly, for fixed and seeded random filters (stores, one or several categories, ranges across
/// months and weeks, a range inside one week).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MixQueriesTests(PostgresFixture pg) : IAsyncLifetime
{
    private LoadedWarehouse _w = null!;
    private SalesQueries _q = null!;
    private FilterOptions _options = null!;

    public async Task InitializeAsync() => (_w, _q, _options) = await QueriesWarehouse.OpenAsync(pg);

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string, string, string[], string[]> Filters => new()
    {
        // Whole months and weeks plus edge days on both sides.
        { "2025-09-17", "2025-12-09", [], [] },
        { "2025-03-05", "2025-06-26", ["HEN", "BAR"], ["Toys", "Technology"] },
        { "2024-12-20", "2025-02-11", ["MLH"], ["Home & Garden"] },
        // Inside one ISO week (Tuesday to Saturday), fine rollups only.
        { "2025-11-11", "2025-11-15", ["BXC", "WEM", "EDG"], ["Toys", "Clothing", "Health & Beauty"] },
        // A single day, and a range with no data.
        { "2025-12-24", "2025-12-24", [], ["Technology"] },
        { "2030-01-01", "2030-01-31", [], [] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task The_mix_equals_sql_on_the_facts(string from, string to, string[] stores, string[] categories) =>
        await AssertMixMatchesFacts(
            new SalesFilter(Day(from), Day(to), Keys(_options.Stores, stores), Keys(_options.Categories, categories)));

    [Fact]
    public async Task The_mix_equals_sql_on_the_facts_for_seeded_random_filters()
    {
        var rng = new Random(1212);
        var first = new DateOnly(2024, 10, 1);
        for (var i = 0; i < 8; i++)
        {
            var from = first.AddDays(rng.Next(0, 420));
            var to = from.AddDays(rng.Next(0, 120));
            var stores = _options.Stores.Where(_ => rng.Next(3) == 0).Select(s => s.Key).ToArray();
            var categories = _options.Categories.Where(_ => rng.Next(3) == 0).Select(c => c.Key).ToArray();
            await AssertMixMatchesFacts(new SalesFilter(from, to, stores, categories));
        }
    }

    [Fact]
    public async Task The_mix_reads_month_and_week_rollups_and_they_answer_what_the_fine_rollups_answer()
    {
        var f = new SalesFilter(Day("2025-09-17"), Day("2025-12-09"), [], Keys(_options.Categories, ["Toys", "Technology"]));
        var plan = (await _q.CurrentAsync(CancellationToken.None)).Plan(f.From, f.To);
        Assert.NotEmpty(plan.Months);
        Assert.NotEmpty(plan.Weeks);
        Assert.NotEmpty(plan.Days);
        var fineOnly = new SalesQueries(_w.Db) { UseMonthRollups = false };
        var layered = await _q.GetMixAsync(f, CancellationToken.None);
        var fine = await fineOnly.GetMixAsync(f, CancellationToken.None);
        Assert.Equal(fine.Channels, layered.Channels);
        Assert.Equal(fine.Payments, layered.Payments);
        Assert.Equal(fine.Loyalty, layered.Loyalty);

        // Each list adds up to the KPIs: net revenue, and sales receipts (every receipt has one channel and payment here).
        var kpis = await _q.GetKpisForAsync(f, CancellationToken.None);
        Assert.Equal(kpis.RevenuePence, layered.Channels.Sum(c => c.RevenuePence));
        Assert.Equal(kpis.RevenuePence, layered.Payments.Sum(c => c.RevenuePence));
        Assert.Equal(kpis.SalesReceipts, layered.Channels.Sum(c => c.SalesReceipts));
        Assert.Equal(kpis.SalesReceipts, layered.Payments.Sum(c => c.SalesReceipts));
        Assert.Equal(kpis.RevenuePence, layered.Loyalty.Sum(c => c.RevenuePence));
        Assert.Equal(kpis.SalesReceipts, layered.Loyalty.Sum(c => c.SalesReceipts));
        // Both sides sold: the test data has loyalty and anonymous receipts, so a split that put everything on one side fails.
        Assert.All(layered.Loyalty, p => Assert.True(p.RevenuePence > 0 && p.SalesReceipts > 0, p.Name));
        Assert.InRange(layered.Channels.Sum(c => SalesMix.RevenueSharePercent(c, layered.Channels)), 99.95m, 100.05m);
    }

    private async Task AssertMixMatchesFacts(SalesFilter f)
    {
        var mix = await _q.GetMixAsync(f, CancellationToken.None);
        Assert.Equal(await FromFactsAsync(_w.Db, "channel", f), Rows(mix.Channels));
        Assert.Equal(await FromFactsAsync(_w.Db, "payment", f), Rows(mix.Payments));
        Assert.Equal(await FromFactsAsync(_w.Db, "loyalty", f), Rows(mix.Loyalty));
    }

    /// <summary>A mix list as <see cref="FromFactsAsync"/> returns the facts': every figure, by name.</summary>
    internal static List<(string, long, long, long, long, long)> Rows(IEnumerable<MixPart> parts) =>
        parts.Select(p => (p.Name, p.RevenuePence, p.GrossPence, p.Lines, p.Receipts, p.RefundReceipts)).OrderBy(p => p.Name).ToList();

    /// <summary>
    /// Straight from the facts of published batches: lines in the selection by their channel, payment method or loyalty
    /// card (customer_key &lt;&gt; 0); receipts holding a selected line, counted once per channel and payment they were
    /// taken with, by theirs (a loyalty receipt has a card on any line), refund-only when every line is a return.
    /// </summary>
    internal static async Task<List<(string, long, long, long, long, long)>> FromFactsAsync(NpgsqlDataSource db, string part,
        SalesFilter f)
    {
        var (names, line, receipt) = part switch
        {
            "channel" => ("SELECT channel_key AS k, channel AS name FROM marts.dim_channel", "channel_key", "a.channel_key"),
            "payment" => ("SELECT payment_key AS k, payment_method AS name FROM marts.dim_payment_method", "payment_key", "a.payment_key"),
            "loyalty" => ("SELECT true AS k, 'loyalty_card' AS name UNION ALL SELECT false, 'no_card'", "customer_key <> 0",
                "bool_or(a.customer_key <> 0)"),
            _ => throw new ArgumentOutOfRangeException(nameof(part), part, "channel, payment or loyalty"),
        };
        await using var cmd = db.CreateCommand($"""
            WITH sel AS (
                SELECT f.* FROM marts.fct_sales f JOIN marts.dim_product p ON p.product_key = f.product_key
                WHERE f.sale_date BETWEEN $1 AND $2
                  AND f.batch_id IN (SELECT batch_id FROM ops.load_batches WHERE status = 'loaded' AND published)
                  AND ($3::smallint[] IS NULL OR f.store_key = ANY ($3))
                  AND ($4::smallint[] IS NULL OR p.category_key = ANY ($4))),
            lines AS (
                SELECT {line} AS k, sum(line_total_pence) AS revenue, sum(line_total_pence) FILTER (WHERE quantity > 0) AS gross,
                       count(*) AS lines
                FROM sel GROUP BY 1),
            receipts AS (
                SELECT {receipt} AS k, bool_and(a.quantity < 0) AS refund_only
                FROM marts.fct_sales a
                WHERE (a.sale_date, a.transaction_id) IN (SELECT sale_date, transaction_id FROM sel)
                GROUP BY a.sale_date, a.transaction_id, a.channel_key, a.payment_key)
            SELECT d.name, coalesce(l.revenue, 0)::bigint, coalesce(l.gross, 0)::bigint, coalesce(l.lines, 0)::bigint,
                   (SELECT count(*) FROM receipts r WHERE r.k = d.k),
                   (SELECT count(*) FROM receipts r WHERE r.k = d.k AND r.refund_only)
            FROM ({names}) d LEFT JOIN lines l ON l.k = d.k
            """);
        cmd.Parameters.Add(new NpgsqlParameter { Value = f.From, NpgsqlDbType = NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter { Value = f.To, NpgsqlDbType = NpgsqlDbType.Date });
        cmd.Parameters.Add(new NpgsqlParameter
        {
            Value = f.Stores.Count == 0 ? DBNull.Value : f.Stores.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint
        });
        cmd.Parameters.Add(new NpgsqlParameter
        {
            Value = f.Categories.Count == 0 ? DBNull.Value : f.Categories.ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint
        });
        var list = new List<(string, long, long, long, long, long)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            list.Add((r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5)));
        }
        return list.OrderBy(p => p.Item1).ToList();
    }

    private static DateOnly Day(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    private static short[] Keys(IReadOnlyList<Choice> choices, string[] codes) =>
        choices.Where(c => codes.Contains(c.Code)).Select(c => c.Key).ToArray();
}
