-- Each period's published batches as a signature (md5 of their ids in order); a period's rollups are current while
-- marts.rollup_{grain}s holds the same signature. {grain} is month or week. Used as a subquery by the reader and the rebuild.
SELECT m.period::date AS period, md5(string_agg(b.batch_id::text, ',' ORDER BY b.batch_id)) AS signature
FROM ops.published_batches b
CROSS JOIN LATERAL generate_series(date_trunc('{grain}', b.min_sale_date), b.max_sale_date, interval '1 {grain}') AS m(period)
WHERE b.min_sale_date IS NOT NULL
GROUP BY 1
