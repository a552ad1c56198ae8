-- /*order*/, /*share*/ and /*limit*/ are chosen by the caller from fixed texts (revenue or units, a number).
WITH p AS (
    /*product_totals*/),
total AS (SELECT sum(revenue) AS revenue, sum(units) AS units FROM p)
SELECT d.sku, d.product_name, c.category_name, p.units, p.revenue, /*share*/
FROM p CROSS JOIN total
JOIN marts.dim_product d USING (product_key)
JOIN marts.dim_category c ON c.category_key = d.category_key
ORDER BY /*order*/, d.sku COLLATE "C"
LIMIT /*limit*/
