-- The per-batch fine rollups of the month starting $1, re-derived from fct_sales with the loader's definitions
-- (RollupAccumulator), store rows and then all-store rows (store_key 0, marts/120) as their sum: for warehouses loaded
-- before a rollup gained a column. No GROUPING SETS: Citus refuses them over distributed tables. Statements are
-- separated by a line holding only a semicolon. The hour is the store's local hour (Europe/London), as the loader
-- reads it off the offset. The channel and payment mix has a file of its own (rederive_month_mix.sql, run after this
-- one), so it can be re-derived alone.
DELETE FROM marts.agg_sales_hourly WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 month')::date
;
INSERT INTO marts.agg_sales_hourly (batch_id, sale_date, store_key, category_key, hour_of_day,
                                    lines, units, revenue_pence, gross_pence, returns_pence, discount_pence, return_units)
SELECT f.batch_id, f.sale_date, f.store_key, p.category_key,
       extract(hour FROM f.sold_at AT TIME ZONE 'Europe/London')::smallint,
       count(*), sum(f.quantity), sum(f.line_total_pence),
       coalesce(sum(f.line_total_pence) FILTER (WHERE f.quantity > 0), 0),
       coalesce(-sum(f.line_total_pence) FILTER (WHERE f.quantity < 0), 0),
       sum(f.discount_pence), coalesce(-sum(f.quantity) FILTER (WHERE f.quantity < 0), 0)
FROM marts.fct_sales f JOIN marts.dim_product p ON p.product_key = f.product_key
WHERE f.sale_date >= $1 AND f.sale_date < ($1 + interval '1 month')::date
GROUP BY f.batch_id, f.sale_date, f.store_key, p.category_key, extract(hour FROM f.sold_at AT TIME ZONE 'Europe/London')
;
INSERT INTO marts.agg_sales_hourly (batch_id, sale_date, store_key, category_key, hour_of_day,
                                    lines, units, revenue_pence, gross_pence, returns_pence, discount_pence, return_units)
SELECT batch_id, sale_date, 0::smallint, category_key, hour_of_day, sum(lines), sum(units), sum(revenue_pence),
       sum(gross_pence), sum(returns_pence), sum(discount_pence), sum(return_units)
FROM marts.agg_sales_hourly
WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 month')::date AND store_key <> 0
GROUP BY batch_id, sale_date, category_key, hour_of_day
;
DELETE FROM marts.agg_product_daily WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 month')::date
;
INSERT INTO marts.agg_product_daily (batch_id, sale_date, store_key, product_key, category_key, units, revenue_pence)
SELECT f.batch_id, f.sale_date, f.store_key, f.product_key, p.category_key, sum(f.quantity), sum(f.line_total_pence)
FROM marts.fct_sales f JOIN marts.dim_product p ON p.product_key = f.product_key
WHERE f.sale_date >= $1 AND f.sale_date < ($1 + interval '1 month')::date
GROUP BY f.batch_id, f.sale_date, f.store_key, f.product_key, p.category_key
;
INSERT INTO marts.agg_product_daily (batch_id, sale_date, store_key, product_key, category_key, units, revenue_pence)
SELECT batch_id, sale_date, 0::smallint, product_key, category_key, sum(units), sum(revenue_pence)
FROM marts.agg_product_daily
WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 month')::date AND store_key <> 0
GROUP BY batch_id, sale_date, product_key, category_key
;
DELETE FROM marts.agg_receipts_daily WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 month')::date
;
CREATE TEMP TABLE rederive_receipts (batch_id integer, sale_date date, store_key smallint, transaction_id bigint,
    customer_key integer, category_mask integer, refund_only boolean) ON COMMIT DROP
;
INSERT INTO rederive_receipts
SELECT f.batch_id, f.sale_date, f.store_key, f.transaction_id, min(f.customer_key) AS customer_key,
       bit_or(1 << p.category_key) AS category_mask, bool_and(f.quantity < 0) AS refund_only
FROM marts.fct_sales f JOIN marts.dim_product p ON p.product_key = f.product_key
WHERE f.sale_date >= $1 AND f.sale_date < ($1 + interval '1 month')::date
GROUP BY 1, 2, 3, 4
;
INSERT INTO marts.agg_receipts_daily (batch_id, sale_date, store_key, category_mask, receipts, refund_receipts)
SELECT batch_id, sale_date, store_key, category_mask, count(*), count(*) FILTER (WHERE refund_only)
FROM rederive_receipts
GROUP BY batch_id, sale_date, store_key, category_mask
;
INSERT INTO marts.agg_receipts_daily (batch_id, sale_date, store_key, category_mask, receipts, refund_receipts)
SELECT batch_id, sale_date, 0::smallint, category_mask, count(*), count(*) FILTER (WHERE refund_only)
FROM rederive_receipts
GROUP BY batch_id, sale_date, category_mask
;
DELETE FROM marts.agg_customers_hll_daily WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 month')::date
;
INSERT INTO marts.agg_customers_hll_daily (batch_id, sale_date, store_key, category_key, customers)
SELECT r.batch_id, r.sale_date, r.store_key, c.category_key, hll_add_agg(hll_hash_integer(r.customer_key), 12)
FROM rederive_receipts r JOIN marts.dim_category c ON r.category_mask & (1 << c.category_key) <> 0
WHERE r.customer_key <> 0
GROUP BY r.batch_id, r.sale_date, r.store_key, c.category_key
;
INSERT INTO marts.agg_customers_hll_daily (batch_id, sale_date, store_key, category_key, customers)
SELECT r.batch_id, r.sale_date, 0::smallint, c.category_key, hll_add_agg(hll_hash_integer(r.customer_key), 12)
FROM rederive_receipts r JOIN marts.dim_category c ON r.category_mask & (1 << c.category_key) <> 0
WHERE r.customer_key <> 0
GROUP BY r.batch_id, r.sale_date, c.category_key
