-- The published batches with rows in the period ({grain}: month or week) starting $1, in id order (the order the
-- signature uses).
SELECT coalesce(array_agg(batch_id ORDER BY batch_id), '{}')
FROM ops.published_batches
WHERE min_sale_date < ($1 + interval '1 {grain}')::date AND max_sale_date >= $1
