-- Revenue per day of [$1, $2] and its true trailing 7-day average: the plan covers six lead-in days before $1
-- (never before the first published day, so the first points average the days that exist).
WITH sales AS (
    SELECT sale_date, sum(revenue_pence) AS revenue
    FROM (
        SELECT sale_date, revenue_pence FROM marts.agg_month_sales
        WHERE /*coarse*/ AND /*stores_or_all*/ AND /*categories*/
        UNION ALL
        SELECT sale_date, revenue_pence FROM marts.agg_week_sales
        WHERE /*weeks*/ AND /*stores_or_all*/ AND /*categories*/
        UNION ALL
        SELECT sale_date, revenue_pence FROM marts.agg_sales_hourly
        WHERE /*fine*/ AND /*stores_or_all*/ AND /*categories*/ AND /*published*/
    ) x
    GROUP BY sale_date),
first_day AS (SELECT min(min_sale_date) AS first_date FROM ops.published_batches),
days AS (
    SELECT g.day::date AS day
    FROM first_day, generate_series(greatest($1::date - 6, least(first_day.first_date, $1::date)), $2::date, interval '1 day') AS g(day)),
series AS (
    SELECT day, coalesce(revenue, 0)::bigint AS revenue,
           round(avg(coalesce(revenue, 0)) OVER (ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW), 2) AS average
    FROM days LEFT JOIN sales ON sales.sale_date = days.day)
SELECT day, revenue, average FROM series WHERE day >= $1 ORDER BY day
