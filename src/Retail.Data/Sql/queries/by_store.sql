SELECT s.store_name, coalesce(sum(x.revenue_pence), 0)::bigint AS revenue, coalesce(sum(x.units), 0)::bigint, s.store_code
FROM (
    SELECT store_key, revenue_pence, units FROM marts.agg_month_sales
    WHERE /*coarse*/ AND /*stores*/ AND /*categories*/
    UNION ALL
    SELECT store_key, revenue_pence, units FROM marts.agg_week_sales
    WHERE /*weeks*/ AND /*stores*/ AND /*categories*/
    UNION ALL
    SELECT store_key, revenue_pence, units FROM marts.agg_sales_hourly
    WHERE /*fine*/ AND /*stores*/ AND /*categories*/ AND /*published*/
) x JOIN marts.dim_store s USING (store_key)
GROUP BY s.store_name, s.store_code ORDER BY revenue DESC, s.store_name COLLATE "C"
