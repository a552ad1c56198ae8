-- The product list: every product of the selected categories, sold in the period or not (bottom sellers include the
-- products that sold nothing), with its units and revenue in [$1, $2] and its revenue in the previous period
-- (/*coarse:prev*/, /*fine:prev*/); searched by SKU or name (a plain substring, never a pattern), sorted and paged here.
-- /*order*/ is a fixed text chosen by the caller; /*search*/, /*limit*/ and /*offset*/ are parameter numbers.
WITH cur AS (
    /*product_totals*/),
prev AS (
    SELECT product_key, sum(revenue_pence)::bigint AS revenue
    FROM (
        SELECT product_key, revenue_pence FROM marts.agg_month_products
        WHERE /*coarse:prev*/ AND /*stores_or_all*/ AND /*categories*/
        UNION ALL
        SELECT product_key, revenue_pence FROM marts.agg_week_products
        WHERE /*weeks:prev*/ AND /*stores_or_all*/ AND /*categories*/
        UNION ALL
        SELECT product_key, revenue_pence FROM marts.agg_product_daily
        WHERE /*fine:prev*/ AND /*stores_or_all*/ AND /*categories*/ AND /*published*/
    ) x
    GROUP BY product_key),
list AS (
    SELECT d.sku, d.product_name, c.category_name, coalesce(cur.units, 0) AS units, coalesce(cur.revenue, 0) AS revenue,
           coalesce(prev.revenue, 0) AS previous,
           CASE WHEN coalesce(prev.revenue, 0) = 0 THEN NULL
                ELSE round((coalesce(cur.revenue, 0) - prev.revenue) * 100.0 / abs(prev.revenue), 1) END AS change
    FROM marts.dim_product d
    JOIN marts.dim_category c ON c.category_key = d.category_key
    LEFT JOIN cur ON cur.product_key = d.product_key
    LEFT JOIN prev ON prev.product_key = d.product_key
    WHERE ($4::smallint[] IS NULL OR d.category_key = ANY ($4))
      AND (/*search*/::text IS NULL OR strpos(lower(d.sku), lower(/*search*/)) > 0 OR strpos(lower(d.product_name), lower(/*search*/)) > 0))
SELECT sku, product_name, category_name, units, revenue, previous, count(*) OVER ()::int AS total
FROM list
ORDER BY /*order*/, sku COLLATE "C"
LIMIT /*limit*/ OFFSET /*offset*/
