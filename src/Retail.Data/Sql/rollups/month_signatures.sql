-- Each month's published batches as a signature (md5 of their ids in order); a month's rollups are current while
-- marts.rollup_months holds the same signature. Used as a subquery by the reader and the rebuild.
SELECT m.month::date AS month, md5(string_agg(b.batch_id::text, ',' ORDER BY b.batch_id)) AS signature
FROM ops.load_batches b
CROSS JOIN LATERAL generate_series(date_trunc('month', b.min_sale_date), b.max_sale_date, interval '1 month') AS m(month)
WHERE b.status = 'loaded' AND b.published AND b.min_sale_date IS NOT NULL
GROUP BY 1
