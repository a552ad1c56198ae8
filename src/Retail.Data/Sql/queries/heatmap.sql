SELECT iso_dow::int, hour_of_day, sum(revenue_pence)::bigint
FROM (
    SELECT iso_dow, hour_of_day, revenue_pence FROM marts.agg_month_heat
    WHERE /*coarse*/ AND /*stores_or_all*/ AND /*categories*/
    UNION ALL
    SELECT extract(isodow FROM sale_date)::smallint, hour_of_day, revenue_pence FROM marts.agg_sales_hourly
    WHERE /*fine*/ AND /*stores_or_all*/ AND /*categories*/ AND /*published*/
) x
GROUP BY 1, 2 ORDER BY 1, 2
