-- The channel and payment mix's per-batch fine rollups of the month starting $1, re-derived from fct_sales with the
-- loader's definitions (MixAccumulator), store rows and all-store rows (store_key 0, marts/123). Part of
-- `retail rollups rebuild --from-facts` (after rederive_month.sql) and all of it with `--only mix` (a warehouse
-- migrated across marts/122, whose mix tables start empty). A receipt counts once per channel and payment it was
-- taken with. Statements are separated by a line holding only a semicolon.
DELETE FROM marts.agg_mix_daily WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 month')::date
;
INSERT INTO marts.agg_mix_daily (batch_id, sale_date, store_key, category_key, channel_key, payment_key, lines, revenue_pence,
                                 gross_pence)
SELECT f.batch_id, f.sale_date, coalesce(f.store_key, 0::smallint), p.category_key, f.channel_key, f.payment_key, count(*),
       sum(f.line_total_pence), coalesce(sum(f.line_total_pence) FILTER (WHERE f.quantity >= 0), 0)
FROM marts.fct_sales f JOIN marts.dim_product p ON p.product_key = f.product_key
WHERE f.sale_date >= $1 AND f.sale_date < ($1 + interval '1 month')::date
GROUP BY GROUPING SETS ((f.batch_id, f.sale_date, f.store_key, p.category_key, f.channel_key, f.payment_key),
                        (f.batch_id, f.sale_date, p.category_key, f.channel_key, f.payment_key))
;
DELETE FROM marts.agg_mix_receipts_daily WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 month')::date
;
INSERT INTO marts.agg_mix_receipts_daily (batch_id, sale_date, store_key, channel_key, payment_key, category_mask, receipts,
                                          refund_receipts)
SELECT batch_id, sale_date, coalesce(store_key, 0::smallint), channel_key, payment_key, category_mask, count(*),
       count(*) FILTER (WHERE refund_only)
FROM (
    SELECT f.batch_id, f.sale_date, f.store_key, f.channel_key, f.payment_key, bit_or(1 << p.category_key) AS category_mask,
           bool_and(f.quantity < 0) AS refund_only
    FROM marts.fct_sales f JOIN marts.dim_product p ON p.product_key = f.product_key
    WHERE f.sale_date >= $1 AND f.sale_date < ($1 + interval '1 month')::date
    GROUP BY f.batch_id, f.sale_date, f.store_key, f.transaction_id, f.channel_key, f.payment_key
) r
GROUP BY GROUPING SETS ((batch_id, sale_date, store_key, channel_key, payment_key, category_mask),
                        (batch_id, sale_date, channel_key, payment_key, category_mask))
