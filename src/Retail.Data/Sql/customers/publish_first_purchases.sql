-- The batches $1, loaded unpublished, are published now: their first purchases, kept by the loader in
-- ops.batch_first_purchases, become the batch's set to merge (the earliest per customer across the batches) and leave
-- that table. Statements are separated by a line holding only a semicolon.
CREATE TEMP TABLE publishing_first_purchases ON COMMIT DROP AS
SELECT DISTINCT ON (customer_key) batch_id, customer_key, first_sold_at, first_date, first_store_key
FROM ops.batch_first_purchases WHERE batch_id = ANY ($1)
ORDER BY customer_key, first_sold_at, first_store_key, batch_id
;
DELETE FROM ops.batch_first_purchases WHERE batch_id = ANY ($1)
