-- One product's revenue and units per day of [$1, $2] (days without sales as 0), product_key /*p1*/, from the per-batch
-- fine rollups: the month rollups hold no days.
SELECT g.day::date, coalesce(x.revenue, 0)::bigint, coalesce(x.units, 0)::bigint
FROM generate_series($1::date, $2::date, interval '1 day') AS g(day)
LEFT JOIN (
    SELECT sale_date, sum(revenue_pence) AS revenue, sum(units) AS units FROM marts.agg_product_daily
    WHERE /*fine*/ AND /*stores_or_all*/ AND product_key = /*p1*/ AND /*published*/
    GROUP BY sale_date
) x ON x.sale_date = g.day
ORDER BY 1
