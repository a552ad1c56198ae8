-- /*order*/, /*share*/ and /*limit*/ are chosen by the caller from fixed texts (revenue or units, a number).
WITH p AS (
    SELECT product_key, sum(units)::bigint AS units, sum(revenue_pence)::bigint AS revenue
    FROM (
        SELECT product_key, units, revenue_pence FROM marts.agg_month_products
        WHERE /*coarse*/ AND /*stores*/ AND /*categories*/
        UNION ALL
        SELECT product_key, units, revenue_pence FROM marts.agg_week_products
        WHERE /*weeks*/ AND /*stores*/ AND /*categories*/
        UNION ALL
        SELECT product_key, units, revenue_pence FROM marts.agg_product_daily
        WHERE /*fine*/ AND /*stores*/ AND /*categories*/ AND /*published*/
    ) x
    GROUP BY product_key),
total AS (SELECT sum(revenue) AS revenue, sum(units) AS units FROM p)
SELECT d.sku, d.product_name, c.category_name, p.units, p.revenue, /*share*/
FROM p CROSS JOIN total
JOIN marts.dim_product d USING (product_key)
JOIN marts.dim_category c ON c.category_key = d.category_key
ORDER BY /*order*/, d.sku COLLATE "C"
LIMIT /*limit*/
