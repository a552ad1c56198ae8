-- A batch's customer sketches per day, store and category, from its loyalty customers (category_mask bit k =
-- category_key k). $1 batch, $2..$3 its date range. log2m 12 everywhere, so sketches union.
INSERT INTO marts.agg_customers_hll_daily (batch_id, sale_date, store_key, category_key, customers)
SELECT c.batch_id, c.sale_date, c.store_key, k.category_key, hll_add_agg(hll_hash_integer(c.customer_key), 12)
FROM marts.agg_customers_daily c
CROSS JOIN LATERAL (SELECT k::smallint AS category_key FROM generate_series(0, 31) k WHERE c.category_mask & (1 << k) <> 0) k
WHERE c.batch_id = $1 AND c.sale_date BETWEEN $2 AND $3
GROUP BY c.batch_id, c.sale_date, c.store_key, k.category_key
