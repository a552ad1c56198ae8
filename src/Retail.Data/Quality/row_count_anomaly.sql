-- Days in [$1, $2] whose line count is outside 0.25× to 4× the trailing 28-day average (with 7+ days of history).
WITH daily AS (
    SELECT f.sale_date, count(*) AS lines FROM marts.fct_sales f
    WHERE f.sale_date BETWEEN $1::date - 28 AND $2 AND f.batch_id IN (SELECT batch_id FROM ops.published_batches) GROUP BY 1),
scored AS (
    SELECT sale_date, lines, avg(lines) OVER last_28_days AS trailing_avg, count(*) OVER last_28_days AS history
    FROM daily
    WINDOW last_28_days AS (ORDER BY sale_date RANGE BETWEEN interval '28 days' PRECEDING AND interval '1 day' PRECEDING))
SELECT sale_date, lines, round(trailing_avg) FROM scored
WHERE sale_date BETWEEN $1 AND $2 AND history >= 7 AND (lines < 0.25 * trailing_avg OR lines > 4 * trailing_avg)
ORDER BY sale_date
