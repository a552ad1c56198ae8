-- One product's revenue and units by store (product_key /*p1*/), in the selected stores.
SELECT s.store_name, coalesce(sum(x.revenue_pence), 0)::bigint AS revenue, coalesce(sum(x.units), 0)::bigint, s.store_code
FROM (
    SELECT store_key, revenue_pence, units FROM marts.agg_month_products
    WHERE /*coarse*/ AND /*stores*/ AND product_key = /*p1*/
    UNION ALL
    SELECT store_key, revenue_pence, units FROM marts.agg_week_products
    WHERE /*weeks*/ AND /*stores*/ AND product_key = /*p1*/
    UNION ALL
    SELECT store_key, revenue_pence, units FROM marts.agg_product_daily
    WHERE /*fine*/ AND /*stores*/ AND product_key = /*p1*/ AND /*published*/
) x JOIN marts.dim_store s USING (store_key)
GROUP BY s.store_name, s.store_code ORDER BY revenue DESC, s.store_name COLLATE "C"
