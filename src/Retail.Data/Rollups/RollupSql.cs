using System.Text.RegularExpressions;
using Retail.Data.Warehouse;

namespace Retail.Data.Rollups;

/// <summary>One grain's rollup statements, from the shared templates in Sql/rollups.</summary>
internal sealed record PeriodSql(
    string Signatures, string Current, string Stale, string Batches, IReadOnlyList<string> Rebuild, string Forget)
{
    /// <summary>The tables the rebuild writes, in statement order: read from its INSERTs, so no list can drift from them.</summary>
    public IReadOnlyList<string> Tables { get; } = [.. Rebuild
        .Select(s => InsertTarget.Match(s))
        .Where(m => m.Success)
        .Select(m => m.Groups[1].Value)
        .Distinct(StringComparer.Ordinal)];

    private static readonly Regex InsertTarget = new(@"^INSERT INTO (\w+\.\w+)", RegexOptions.Multiline | RegexOptions.CultureInvariant);
}


/// <summary>The rollup statements shipped in Sql/rollups (not migrations), loaded once.</summary>
internal static class RollupSql
{
    private const string SignaturesMarker = "/*signatures*/";

    public static readonly PeriodSql Month = ForGrain("month");
    public static readonly PeriodSql Week = ForGrain("week");

    /// <summary>The whole weeks of a month whose week rollups a month's rebuild may read (<see cref="MonthWeeks"/>).</summary>
    public static readonly string CurrentMonthWeeks = WarehouseSchema.Resource("rollups/month_weeks.sql");

    /// <summary>The channel and payment mix's fine rollups of a month, re-derived from the facts (`--from-facts --only mix`).</summary>
    public static readonly IReadOnlyList<string> RederiveMix = Statements(WarehouseSchema.Resource("rollups/rederive_month_mix.sql"));

    /// <summary>Every fine rollup of a month, re-derived from the facts: the mix's statements last.</summary>
    public static readonly IReadOnlyList<string> RederiveMonth =
        [.. Statements(WarehouseSchema.Resource("rollups/rederive_month.sql")), .. RederiveMix];

    public static PeriodSql For(RollupGrain grain) => grain == RollupGrain.Month ? Month : Week;

    /// <summary>The period templates with {grain} filled in: one definition of each rollup for months and weeks.</summary>
    private static PeriodSql ForGrain(string grain)
    {
        string Read(string file) => WarehouseSchema.Resource($"rollups/{file}").Replace("{grain}", grain, StringComparison.Ordinal);
        var signatures = Read("period_signatures.sql");
        return new PeriodSql(
            signatures,
            Read("current_periods.sql").Replace(SignaturesMarker, signatures, StringComparison.Ordinal),
            Read("stale_periods.sql").Replace(SignaturesMarker, signatures, StringComparison.Ordinal),
            Read("period_batches.sql"),
            // Weeks have no heat layer (marts/125): a week of weekday-hour cells is as many rows as its fine rows.
            grain == "month" ? [.. Statements(Read("rebuild_period.sql")), .. Statements(Read("rebuild_month_heat.sql"))]
                : Statements(Read("rebuild_period.sql")),
            $"DELETE FROM marts.rollup_{grain}s WHERE {grain} = $1");
    }

    /// <summary>A file's statements, split at lines holding only a semicolon (so each can take parameters).</summary>
    private static string[] Statements(string sql) =>
        sql.Split("\n;\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
