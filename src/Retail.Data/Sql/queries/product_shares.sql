-- A product's revenue (product_key /*p1*/), its category's (category_key /*p2*/) and every category's, in the selected
-- stores and period: the product's share of its category and of the total.
SELECT coalesce(sum(revenue_pence) FILTER (WHERE is_product), 0)::bigint,
       coalesce(sum(revenue_pence) FILTER (WHERE NOT is_product AND category_key = /*p2*/), 0)::bigint,
       coalesce(sum(revenue_pence) FILTER (WHERE NOT is_product), 0)::bigint
FROM (
    SELECT true AS is_product, category_key, revenue_pence FROM marts.agg_month_products
    WHERE /*coarse*/ AND /*stores_or_all*/ AND product_key = /*p1*/
    UNION ALL
    SELECT true AS is_product, category_key, revenue_pence FROM marts.agg_week_products
    WHERE /*weeks*/ AND /*stores_or_all*/ AND product_key = /*p1*/
    UNION ALL
    SELECT true, category_key, revenue_pence FROM marts.agg_product_daily
    WHERE /*fine*/ AND /*stores_or_all*/ AND product_key = /*p1*/ AND /*published*/
    UNION ALL
    SELECT false, category_key, revenue_pence FROM marts.agg_month_sales
    WHERE /*coarse*/ AND /*stores_or_all*/
    UNION ALL
    SELECT false, category_key, revenue_pence FROM marts.agg_week_sales
    WHERE /*weeks*/ AND /*stores_or_all*/
    UNION ALL
    SELECT false, category_key, revenue_pence FROM marts.agg_sales_hourly
    WHERE /*fine*/ AND /*stores_or_all*/ AND /*published*/
) x
