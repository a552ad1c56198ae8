-- The whole ISO weeks of a month (Mondays from $2 to $3) whose week rollups hold exactly the month's published batches
-- $1 that touch them (the signature rebuild_period.sql writes), so the month may read them instead of their fine rows.
-- The caller holds those weeks' locks, so what this finds stays true until its transaction ends.
SELECT w.week::date
FROM generate_series($2::date, $3::date, interval '1 week') AS w(week)
JOIN marts.rollup_weeks r ON r.week = w.week::date
WHERE r.signature = (
    SELECT md5(string_agg(b.batch_id::text, ',' ORDER BY b.batch_id))
    FROM ops.load_batches b
    WHERE b.batch_id = ANY ($1) AND b.min_sale_date <= w.week::date + 6 AND b.max_sale_date >= w.week::date)
ORDER BY 1
