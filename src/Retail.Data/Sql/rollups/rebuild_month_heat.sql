-- A month's weekday-hour heat over its published batches $2, from the fine hourly rollup (weeks have no heat layer:
-- marts/125). Parameters as rebuild_period.sql; run with the month's other statements, in its transaction.
DELETE FROM marts.agg_month_heat WHERE month = $1
;
INSERT INTO marts.agg_month_heat (month, store_key, category_key, iso_dow, hour_of_day, revenue_pence)
SELECT $1, store_key, category_key, extract(isodow FROM sale_date)::smallint, hour_of_day, sum(revenue_pence)
FROM marts.agg_sales_hourly
WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 month')::date AND batch_id = ANY ($2)
GROUP BY store_key, category_key, extract(isodow FROM sale_date), hour_of_day
