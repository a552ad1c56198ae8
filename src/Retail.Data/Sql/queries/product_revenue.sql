-- Revenue of the given products (SKUs in the last parameter, /*p1*/) in one period: a product table's comparison column.
WITH wanted AS (SELECT product_key, sku FROM marts.dim_product WHERE sku = ANY (/*p1*/::text[]))
SELECT w.sku, sum(x.revenue_pence)::bigint
FROM (
    SELECT product_key, revenue_pence FROM marts.agg_month_products
    WHERE /*coarse*/ AND /*stores_or_all*/ AND /*categories*/ AND product_key IN (SELECT product_key FROM wanted)
    UNION ALL
    SELECT product_key, revenue_pence FROM marts.agg_week_products
    WHERE /*weeks*/ AND /*stores_or_all*/ AND /*categories*/ AND product_key IN (SELECT product_key FROM wanted)
    UNION ALL
    SELECT product_key, revenue_pence FROM marts.agg_product_daily
    WHERE /*fine*/ AND /*stores_or_all*/ AND /*categories*/ AND /*published*/ AND product_key IN (SELECT product_key FROM wanted)
) x JOIN wanted w USING (product_key)
GROUP BY w.sku
