-- The batches $1, loaded unpublished, are published now: their first purchases, kept by the loader in
-- ops.batch_first_purchases, leave that table and come back as the candidates to settle and merge (the earliest per
-- customer across the batches).
WITH gone AS (DELETE FROM ops.batch_first_purchases WHERE batch_id = ANY ($1) RETURNING *)
SELECT DISTINCT ON (customer_key) batch_id, customer_key, first_sold_at, first_date, first_store_key
FROM gone ORDER BY customer_key, first_sold_at, first_store_key, batch_id
