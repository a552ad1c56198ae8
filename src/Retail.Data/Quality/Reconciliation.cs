namespace Retail.Data.Quality;

/// <summary>
/// Each loaded batch against the control totals recorded with it (ops.batch_control_totals), per store per day.
/// Rows: up to 10 'mismatch' rows (batch, date, store, expected lines/units/pence, actual lines/units/pence), then one
/// 'summary' row (batches reconciled, batches without control totals, store-days compared, revenue in pence).
/// Parameters: $1 from, $2 to (sale dates).
/// </summary>
public static class Reconciliation
{
    /// <param name="batches">The batches to reconcile: <see cref="Batches.Published"/> or <see cref="Batches.Loaded"/>.</param>
    public static string Sql(string batches) => $"""
        WITH b AS (
            SELECT b.batch_id, b.has_control_totals FROM {batches} b
            WHERE b.min_sale_date <= $2 AND b.max_sale_date >= $1),
        expected AS (
            SELECT t.batch_id, t.sale_date, t.store_code, t.lines, t.units, t.revenue_pence
            FROM ops.batch_control_totals t JOIN b USING (batch_id)
            WHERE b.has_control_totals AND t.sale_date BETWEEN $1 AND $2),
        actual AS (
            SELECT f.batch_id, f.sale_date, s.store_code, count(*)::bigint AS lines, sum(f.quantity)::bigint AS units,
                   sum(f.line_total_pence)::bigint AS revenue_pence
            FROM marts.fct_sales f JOIN marts.dim_store s ON s.store_key = f.store_key
            WHERE f.sale_date BETWEEN $1 AND $2 AND f.batch_id IN (SELECT batch_id FROM b WHERE has_control_totals)
            GROUP BY 1, 2, 3),
        diff AS (
            SELECT coalesce(e.batch_id, a.batch_id) AS batch_id, coalesce(e.sale_date, a.sale_date) AS sale_date,
                   coalesce(e.store_code, a.store_code) AS store_code, e.lines AS e_lines, e.units AS e_units, e.revenue_pence AS e_rev,
                   a.lines AS a_lines, a.units AS a_units, a.revenue_pence AS a_rev
            FROM expected e FULL JOIN actual a ON a.batch_id = e.batch_id AND a.sale_date = e.sale_date AND a.store_code = e.store_code
            WHERE e.lines IS DISTINCT FROM a.lines OR e.units IS DISTINCT FROM a.units OR e.revenue_pence IS DISTINCT FROM a.revenue_pence)
        (SELECT 'mismatch' AS kind, sale_date, store_code, e_lines, e_units, e_rev, a_lines, a_units, a_rev, batch_id::bigint AS n
         FROM diff ORDER BY batch_id, sale_date, store_code LIMIT 10)
        UNION ALL
        SELECT 'summary', NULL, NULL, NULL, NULL, NULL,
               (SELECT count(*) FROM b WHERE has_control_totals), (SELECT count(*) FROM b WHERE NOT has_control_totals),
               (SELECT count(*) FROM expected), (SELECT coalesce(sum(revenue_pence), 0)::bigint FROM expected)
        """;
}
