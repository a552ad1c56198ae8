using Npgsql;
using NpgsqlTypes;
using Retail.Data.Rollups;

namespace Retail.Data.Queries;

/// <summary>
/// The reader's SQL text and parameters: a query file with its period parts (month, week and fine rollups), its store and
/// category filters and "published" filled in, and the parameters in the order the filled text numbers them.
/// </summary>
public sealed partial class SalesQueries
{
    private NpgsqlCommand Command(string file, SalesFilter f, DateRangePlan plan)
    {
        var cmd = db.CreateCommand(Sql(file, plan, f));
        AddParameters(cmd.Parameters, f, plan);
        return cmd;
    }

    /// <summary>
    /// A query file with its filters filled in; only fixed texts and parameter numbers go into the SQL (whether a store filter
    /// is given picks the text; the stores themselves stay a parameter). Parameters a caller
    /// adds after <see cref="AddParameters"/> are /*p1*/, /*p2*/, ... in the file.
    /// </summary>
    private string Sql(string file, DateRangePlan plan, SalesFilter f) => Fill(QueryFiles[file], plan, f);

    private string Fill(string text, DateRangePlan plan, SalesFilter f)
    {
        var sql = FillPeriod(text, plan, "", 6)
            // A query about all stores reads the all-store rows alone, one about some stores theirs (StoreRows); literals, so
            // the planner uses the all-store rows' own indexes (marts/121).
            .Replace("/*stores_or_all*/", f.StoreArray is not null ? "store_key = ANY ($3)"
                : UseAllStoreRows ? Inv($"store_key = {StoreRows.All}") : Inv($"store_key <> {StoreRows.All}"), StringComparison.Ordinal)
            .Replace("/*stores*/", f.StoreArray is not null ? "store_key = ANY ($3)" : Inv($"store_key <> {StoreRows.All}"),
                StringComparison.Ordinal)
            .Replace("/*categories*/", "($4::smallint[] IS NULL OR category_key = ANY ($4))", StringComparison.Ordinal)
            // The mix receipts: every category is one total row per key (marts/128), a selection the rows it touches.
            .Replace("/*receipt_masks*/", f.Categories.Count == 0 ? Inv($"category_mask = {CategoryMask.Every}")
                : "category_mask & $5 <> 0", StringComparison.Ordinal)
            .Replace("/*published*/", Published, StringComparison.Ordinal);
        var next = NextParameter(plan, 6);
        for (var i = 1; i <= 3; i++)
        {
            sql = sql.Replace($"/*p{i}*/", Inv($"${next + i - 1}"), StringComparison.Ordinal);
        }
        return sql;
    }

    /// <summary>
    /// Fills one period's /*coarse{tag}*/, /*weeks{tag}*/ and /*fine{tag}*/: its whole months are parameter $monthsAt, its
    /// whole weeks the next, its edge days the pairs after them (<see cref="AddPeriodParameters"/>). A query over two
    /// periods fills the second with a tag.
    /// </summary>
    private static string FillPeriod(string sql, DateRangePlan plan, string tag, int monthsAt)
    {
        // The plan moves whole months and weeks out of the fine ranges: a query without those layers would lose them.
        if ((plan.Months.Count > 0 && !sql.Contains($"/*coarse{tag}*/", StringComparison.Ordinal))
            || (plan.Weeks.Count > 0 && !sql.Contains($"/*weeks{tag}*/", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException(
                $"a query planned with month or week rollups has no /*coarse{tag}*/ or /*weeks{tag}*/ part");
        }
        var fine = plan.Days.Count == 0 ? "false" : FineDays(plan, monthsAt);
        return sql
            .Replace($"/*coarse{tag}*/", plan.Months.Count == 0 ? "false" : Inv($"month = ANY (${monthsAt})"), StringComparison.Ordinal)
            .Replace($"/*weeks{tag}*/", plan.Weeks.Count == 0 ? "false" : Inv($"week = ANY (${monthsAt + 1})"), StringComparison.Ordinal)
            .Replace($"/*fine{tag}*/", fine, StringComparison.Ordinal);
    }

    /// <summary>Ranges of edge days up to this long are listed day by day (see <see cref="FineDays"/>).</summary>
    private const int ListedRangeDays = 16;

    /// <summary>
    /// The fine rollups' days: short ranges (a range's edge days) as one list, "sale_date IN ($a, $a + 1, ...)", longer
    /// ones as BETWEEN. An OR of ranges cannot bound a btree scan, so on the all-store rows' partial index (marts/121)
    /// PostgreSQL read the whole year's entries for two edge ranges (212 ms, 2,463 pages at 100M lines); the list is an
    /// index condition there (4 ms, 73 pages) and on the store rows' BRIN as well. Long ranges stay BETWEEN: a list of a
    /// whole year on the BRIN was estimated 36× too low and took 1.9 s instead of a 0.24 s sequential scan.
    /// </summary>
    internal static string FineDays(DateRangePlan plan, int monthsAt)
    {
        var listed = new List<string>();
        var ranges = new List<string>();
        for (var i = 0; i < plan.Days.Count; i++)
        {
            var (from, to) = (monthsAt + 2 + (2 * i), monthsAt + 3 + (2 * i));
            var days = plan.Days[i].To.DayNumber - plan.Days[i].From.DayNumber;
            if (days < ListedRangeDays)
            {
                listed.AddRange(Enumerable.Range(0, days + 1).Select(d => d == 0 ? Inv($"${from}") : Inv($"${from} + {d}")));
            }
            else
            {
                ranges.Add(Inv($"sale_date BETWEEN ${from} AND ${to}"));
            }
        }
        if (listed.Count > 0)
        {
            ranges.Insert(0, "sale_date IN (" + string.Join(", ", listed) + ")");
        }
        return "(" + string.Join(" OR ", ranges) + ")";
    }

    /// <summary>The number of the first parameter after a period whose months are $monthsAt.</summary>
    private static int NextParameter(DateRangePlan plan, int monthsAt) => monthsAt + 2 + (2 * plan.Days.Count);

    private static string Inv(FormattableString s) => FormattableString.Invariant(s);

    private static readonly Dictionary<string, string> QueryFiles =
        new[] { "kpis_sales", "kpis_receipts", "kpis_customers", "daily", "by_store", "by_category", "top_products", "heatmap" }
            .Append("product_revenue")
            .ToDictionary(n => n, QueryText);

    /// <summary>A query file with the shared fragments it names put in (/*product_totals*/).</summary>
    private static string QueryText(string name) => Warehouse.WarehouseSchema.Resource($"queries/{name}.sql")
        .Replace("    /*product_totals*/", Warehouse.WarehouseSchema.Resource("queries/product_totals.sql").TrimEnd(),
            StringComparison.Ordinal);

    private static void AddParameters(NpgsqlParameterCollection p, SalesFilter f, DateRangePlan plan)
    {
        p.Add(new NpgsqlParameter { Value = f.From, NpgsqlDbType = NpgsqlDbType.Date });
        p.Add(new NpgsqlParameter { Value = f.To, NpgsqlDbType = NpgsqlDbType.Date });
        p.Add(new NpgsqlParameter
        {
            Value = (object?)f.StoreArray ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint
        });
        p.Add(new NpgsqlParameter
        {
            Value = (object?)f.CategoryArray ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Smallint
        });
        p.Add(new NpgsqlParameter { Value = f.CategoryMask, NpgsqlDbType = NpgsqlDbType.Integer });
        AddPeriodParameters(p, plan);
    }

    private static void AddPeriodParameters(NpgsqlParameterCollection p, DateRangePlan plan)
    {
        p.Add(new NpgsqlParameter { Value = plan.Months.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
        p.Add(new NpgsqlParameter { Value = plan.Weeks.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
        foreach (var d in plan.Days)
        {
            p.Add(new NpgsqlParameter { Value = d.From, NpgsqlDbType = NpgsqlDbType.Date });
            p.Add(new NpgsqlParameter { Value = d.To, NpgsqlDbType = NpgsqlDbType.Date });
        }
    }
}
