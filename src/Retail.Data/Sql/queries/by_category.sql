SELECT c.category_name, coalesce(sum(x.revenue_pence), 0)::bigint AS revenue, coalesce(sum(x.units), 0)::bigint, c.category_name
FROM (
    SELECT category_key, revenue_pence, units FROM marts.agg_month_sales
    WHERE /*coarse*/ AND /*stores_or_all*/ AND /*categories*/
    UNION ALL
    SELECT category_key, revenue_pence, units FROM marts.agg_week_sales
    WHERE /*weeks*/ AND /*stores_or_all*/ AND /*categories*/
    UNION ALL
    SELECT category_key, revenue_pence, units FROM marts.agg_sales_hourly
    WHERE /*fine*/ AND /*stores_or_all*/ AND /*categories*/ AND /*published*/
) x JOIN marts.dim_category c USING (category_key)
GROUP BY c.category_name ORDER BY revenue DESC, c.category_name COLLATE "C"
