-- Every customer's first published purchase and the daily new-customer counts, re-derived from the published facts
-- (`retail rollups rebuild --from-facts`, and the backfill of a warehouse loaded before migration 124). Statements are
-- separated by a line holding only a semicolon; the caller holds the first-purchase lock.
DELETE FROM marts.customer_first_purchase
;
INSERT INTO marts.customer_first_purchase (customer_key, first_sold_at, first_date, first_store_key, first_batch_id)
SELECT DISTINCT ON (f.customer_key) f.customer_key, f.sold_at, f.sale_date, f.store_key, f.batch_id
FROM marts.fct_sales f
WHERE f.customer_key <> 0 AND f.batch_id IN (SELECT batch_id FROM ops.published_batches)
ORDER BY f.customer_key, f.sold_at, f.store_key, f.batch_id
;
DELETE FROM marts.agg_new_customers_daily
;
INSERT INTO marts.agg_new_customers_daily (first_date, store_key, new_customers)
SELECT first_date, first_store_key, count(*) FROM marts.customer_first_purchase GROUP BY 1, 2
