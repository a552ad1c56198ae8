-- A batch's customer sketches per day, store and category, and per day and category over all stores (store_key 0):
-- $1 batch, then one array per column of its (day, store, category, loyalty customer) set, built by the loader.
-- log2m 12 everywhere, so sketches union.
INSERT INTO marts.agg_customers_hll_daily (batch_id, sale_date, store_key, category_key, customers)
SELECT $1, t.sale_date, coalesce(t.store_key, 0::smallint), t.category_key, hll_add_agg(hll_hash_integer(t.customer_key), 12)
FROM unnest($2::date[], $3::smallint[], $4::smallint[], $5::integer[]) AS t (sale_date, store_key, category_key, customer_key)
GROUP BY GROUPING SETS ((t.sale_date, t.store_key, t.category_key), (t.sale_date, t.category_key))
