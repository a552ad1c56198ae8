using Retail.Data.Rollups;
using Retail.Tests.Infrastructure;

namespace Retail.Tests.Rollups;

/// <summary>
/// A month's rebuild reads its whole weeks from the week rollups where they are current for the same batches, and
/// only its other days from the fine rollups: the rows must be those of a month built from fine rows alone, with any
/// week stale, and the weeks must really be read (else the shortcut is untested).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MonthFromWeeksTests(PostgresFixture pg)
{
    // October 2025 starts on a Wednesday: its whole weeks are those of 6, 13 and 20 October.
    private static readonly DateOnly October = new(2025, 10, 1);
    private static readonly string[] Tables = ["sales", "products", "receipts", "customers", "mix", "mix_receipts", "heat"];

    [Fact]
    public async Task A_month_from_its_current_weeks_equals_the_month_from_fine_rows_with_any_week_stale()
    {
        var w = await pg.SharedAsync("layered", 50_000, new DateOnly(2025, 8, 20), new DateOnly(2025, 12, 10));
        var ct = CancellationToken.None;
        Assert.Equal([new DateOnly(2025, 10, 6), new DateOnly(2025, 10, 13), new DateOnly(2025, 10, 20)], MonthWeeks.Inside(October));
        try
        {
            await PeriodRollups.RebuildWithWeeksAsync(w.Db, October, ct);
            var fromWeeks = await MonthRowsAsync(w);

            // Every week stale: the month is built from its fine rows alone.
            await ExecAsync(w, "UPDATE marts.rollup_weeks SET signature = 'stale' WHERE week BETWEEN '2025-10-06' AND '2025-10-20'");
            await PeriodRollups.RebuildAsync(w.Db, October, ct);
            Assert.Equal(fromWeeks, await MonthRowsAsync(w));

            // The middle week stale: the longest run of current weeks (6 October, the earliest of two) plus fine rows.
            await PeriodRollups.RebuildAsync(w.Db, RollupGrain.Week, new DateOnly(2025, 10, 6), ct);
            await PeriodRollups.RebuildAsync(w.Db, RollupGrain.Week, new DateOnly(2025, 10, 20), ct);
            await PeriodRollups.RebuildAsync(w.Db, October, ct);
            Assert.Equal(fromWeeks, await MonthRowsAsync(w));

            // The current weeks are what the month reads: a penny put into a current week's products reaches the month.
            await PeriodRollups.RebuildAsync(w.Db, RollupGrain.Week, new DateOnly(2025, 10, 13), ct);
            var before = await w.Db.ScalarAsync<long>(
                "SELECT sum(revenue_pence)::bigint FROM marts.agg_month_products WHERE month = '2025-10-01'");
            Assert.Equal(1, await ExecAsync(w, """
                UPDATE marts.agg_week_products SET revenue_pence = revenue_pence + 1
                WHERE ctid = (SELECT ctid FROM marts.agg_week_products WHERE week = '2025-10-13' LIMIT 1)
                """));
            await PeriodRollups.RebuildAsync(w.Db, October, ct);
            Assert.Equal(before + 1, await w.Db.ScalarAsync<long>(
                "SELECT sum(revenue_pence)::bigint FROM marts.agg_month_products WHERE month = '2025-10-01'"));
        }
        finally
        {
            await PeriodRollups.RebuildWithWeeksAsync(w.Db, October, ct);
        }
        Assert.Empty(await PeriodRollups.StaleMonthsAsync(w.Db, ct));
    }

    [Fact]
    public async Task The_tables_a_rebuild_writes_are_every_period_table_of_the_warehouse()
    {
        var w = await pg.SharedAsync("layered", 50_000, new DateOnly(2025, 8, 20), new DateOnly(2025, 12, 10));
        // Read from the rebuild's INSERTs (the loader analyzes these after a load): a period table that a migration adds
        // and no rebuild writes, or a rebuild statement that names no table, shows here.
        var inSchema = await w.Db.ScalarAsync<string[]>("""
            SELECT array_agg('marts.' || table_name ORDER BY table_name) FROM information_schema.tables
            WHERE table_schema = 'marts' AND table_name ~ '^(agg_(month|week)_|rollup_(month|week)s$)'
            """);
        Assert.Equal(15, inSchema.Length);
        Assert.Equal(inSchema, PeriodRollups.Tables.Order(StringComparer.Ordinal));
    }

    private static async Task<int> ExecAsync(LoadedWarehouse w, string sql)
    {
        await using var cmd = w.Db.CreateCommand(sql);
        return await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Each month rollup's rows for October as text, sorted, so two builds compare row for row.</summary>
    private static async Task<Dictionary<string, string>> MonthRowsAsync(LoadedWarehouse w)
    {
        var rows = new Dictionary<string, string>();
        foreach (var table in Tables)
        {
            rows[table] = await w.Db.ScalarAsync<string>(
                $"SELECT coalesce(string_agg(t::text, '|' ORDER BY t::text), '') FROM marts.agg_month_{table} t "
                + "WHERE month = '2025-10-01'");
            Assert.NotEqual("", rows[table]);
        }
        return rows;
    }
}
