-- A forced reload removed batch {batch}'s facts: the customers whose first purchase was in it get their next published
-- purchase instead (or none), and the daily counts move with them. Their next purchase is on or after the removed one,
-- so only facts from that day on are read. Statements are separated by a line holding only a semicolon; the caller
-- holds both first-purchase locks. A batch that was never published only had its set waiting in ops.batch_first_purchases.
DELETE FROM ops.batch_first_purchases WHERE batch_id = {batch}
;
CREATE TEMP TABLE replaced_first_purchases ON COMMIT DROP AS
SELECT customer_key, first_date, first_store_key FROM marts.customer_first_purchase WHERE first_batch_id = {batch}
;
DELETE FROM marts.customer_first_purchase WHERE first_batch_id = {batch}
;
WITH next AS (
    SELECT DISTINCT ON (f.customer_key) f.customer_key, f.sold_at, f.sale_date, f.store_key, f.batch_id
    FROM marts.fct_sales f JOIN replaced_first_purchases r ON r.customer_key = f.customer_key
    WHERE f.sale_date >= (SELECT min(first_date) FROM replaced_first_purchases) AND f.batch_id <> {batch}
      AND f.batch_id IN (SELECT batch_id FROM ops.published_batches)
    ORDER BY f.customer_key, f.sold_at, f.store_key, f.batch_id),
kept AS (
    INSERT INTO marts.customer_first_purchase (customer_key, first_sold_at, first_date, first_store_key, first_batch_id)
    SELECT customer_key, sold_at, sale_date, store_key, batch_id FROM next),
deltas AS (
    SELECT sale_date AS first_date, store_key, 1 AS n FROM next
    UNION ALL
    SELECT first_date, first_store_key, -1 FROM replaced_first_purchases)
INSERT INTO marts.agg_new_customers_daily AS a (first_date, store_key, new_customers)
SELECT first_date, store_key, sum(n) FROM deltas GROUP BY 1, 2
ON CONFLICT (first_date, store_key) DO UPDATE SET new_customers = a.new_customers + excluded.new_customers
;
DELETE FROM marts.agg_new_customers_daily WHERE new_customers = 0
;
DROP TABLE replaced_first_purchases
