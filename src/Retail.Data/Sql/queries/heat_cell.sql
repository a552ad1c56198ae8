-- One weekday-hour cell of the heatmap (ISO weekday and hour are the two parameters after the filter): its revenue by store
-- and by category for the view's filter, over the same layers as heatmap.sql. Rows: store or category, code, name, revenue.
WITH cell AS (
    SELECT store_key, category_key, revenue_pence FROM marts.agg_month_heat
    WHERE /*coarse*/ AND /*stores*/ AND /*categories*/ AND iso_dow = /*p1*/ AND hour_of_day = /*p2*/
    UNION ALL
    SELECT store_key, category_key, revenue_pence FROM marts.agg_sales_hourly
    WHERE /*fine*/ AND /*stores*/ AND /*categories*/ AND /*published*/
        AND extract(isodow FROM sale_date) = /*p1*/ AND hour_of_day = /*p2*/
)
SELECT kind, code, name, revenue FROM (
    SELECT 'store' AS kind, s.store_code AS code, s.store_name AS name, sum(x.revenue_pence)::bigint AS revenue
    FROM cell x JOIN marts.dim_store s USING (store_key)
    GROUP BY s.store_code, s.store_name
    HAVING sum(x.revenue_pence) <> 0
    UNION ALL
    SELECT 'category', c.category_name, c.category_name, sum(x.revenue_pence)::bigint
    FROM cell x JOIN marts.dim_category c USING (category_key)
    GROUP BY c.category_name
    HAVING sum(x.revenue_pence) <> 0
) rows
ORDER BY kind DESC, revenue DESC, name COLLATE "C"
