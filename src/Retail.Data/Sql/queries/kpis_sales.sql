SELECT coalesce(sum(revenue_pence), 0)::bigint, coalesce(sum(units), 0)::bigint, coalesce(sum(lines), 0)::bigint,
       coalesce(sum(gross_pence), 0)::bigint, coalesce(sum(returns_pence), 0)::bigint, coalesce(sum(discount_pence), 0)::bigint,
       coalesce(sum(return_units), 0)::bigint
FROM (
    SELECT revenue_pence, units, lines, gross_pence, returns_pence, discount_pence, return_units
    FROM marts.agg_month_sales
    WHERE /*coarse*/ AND /*stores_or_all*/ AND /*categories*/
    UNION ALL
    SELECT revenue_pence, units, lines, gross_pence, returns_pence, discount_pence, return_units
    FROM marts.agg_week_sales
    WHERE /*weeks*/ AND /*stores_or_all*/ AND /*categories*/
    UNION ALL
    SELECT revenue_pence, units, lines, gross_pence, returns_pence, discount_pence, return_units
    FROM marts.agg_sales_hourly
    WHERE /*fine*/ AND /*stores_or_all*/ AND /*categories*/ AND /*published*/
) x
