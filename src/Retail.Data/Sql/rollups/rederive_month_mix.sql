-- The channel and payment mix's per-batch fine rollups of the month starting $1, re-derived from fct_sales with the
-- loader's definitions (MixAccumulator): store rows from the facts, then the all-store rows (store_key 0, marts/123)
-- as the sum of those store rows, as the loader and marts/123 make them. Not GROUPING SETS as rederive_month.sql
-- uses: Citus refuses them on distributed tables (citusdata/citus#2219), and the mix is re-derived there too. Part of
-- `retail rollups rebuild --from-facts` (after rederive_month.sql) and all of it with `--only mix` (a warehouse
-- migrated across marts/122, whose mix tables start empty). A receipt counts once per channel and payment it was
-- taken with, and is a loyalty receipt when any of its lines carries a card (marts/127). Statements are separated by a
-- line holding only a semicolon.
DELETE FROM marts.agg_mix_daily WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 month')::date
;
INSERT INTO marts.agg_mix_daily (batch_id, sale_date, store_key, category_key, channel_key, payment_key, lines, revenue_pence,
                                 gross_pence, loyalty_lines, loyalty_revenue_pence, loyalty_gross_pence)
SELECT f.batch_id, f.sale_date, f.store_key, p.category_key, f.channel_key, f.payment_key, count(*), sum(f.line_total_pence),
       coalesce(sum(f.line_total_pence) FILTER (WHERE f.quantity > 0), 0),
       count(*) FILTER (WHERE f.customer_key <> 0), coalesce(sum(f.line_total_pence) FILTER (WHERE f.customer_key <> 0), 0),
       coalesce(sum(f.line_total_pence) FILTER (WHERE f.quantity > 0 AND f.customer_key <> 0), 0)
FROM marts.fct_sales f JOIN marts.dim_product p ON p.product_key = f.product_key
WHERE f.sale_date >= $1 AND f.sale_date < ($1 + interval '1 month')::date
GROUP BY 1, 2, 3, 4, 5, 6
;
INSERT INTO marts.agg_mix_daily (batch_id, sale_date, store_key, category_key, channel_key, payment_key, lines, revenue_pence,
                                 gross_pence, loyalty_lines, loyalty_revenue_pence, loyalty_gross_pence)
SELECT batch_id, sale_date, 0, category_key, channel_key, payment_key, sum(lines), sum(revenue_pence), sum(gross_pence),
       sum(loyalty_lines), sum(loyalty_revenue_pence), sum(loyalty_gross_pence)
FROM marts.agg_mix_daily
WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 month')::date AND store_key <> 0
GROUP BY batch_id, sale_date, category_key, channel_key, payment_key
;
DELETE FROM marts.agg_mix_receipts_daily WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 month')::date
;
INSERT INTO marts.agg_mix_receipts_daily (batch_id, sale_date, store_key, channel_key, payment_key, category_mask, receipts,
                                          refund_receipts, loyalty_receipts, loyalty_refund_receipts)
SELECT batch_id, sale_date, store_key, channel_key, payment_key, category_mask, count(*), count(*) FILTER (WHERE refund_only),
       count(*) FILTER (WHERE loyalty), count(*) FILTER (WHERE refund_only AND loyalty)
FROM (
    SELECT f.batch_id, f.sale_date, f.store_key, f.channel_key, f.payment_key, bit_or(1 << p.category_key) AS category_mask,
           bool_and(f.quantity < 0) AS refund_only, bool_or(f.customer_key <> 0) AS loyalty
    FROM marts.fct_sales f JOIN marts.dim_product p ON p.product_key = f.product_key
    WHERE f.sale_date >= $1 AND f.sale_date < ($1 + interval '1 month')::date
    GROUP BY f.batch_id, f.sale_date, f.store_key, f.transaction_id, f.channel_key, f.payment_key
) r
GROUP BY 1, 2, 3, 4, 5, 6
;
INSERT INTO marts.agg_mix_receipts_daily (batch_id, sale_date, store_key, channel_key, payment_key, category_mask, receipts,
                                          refund_receipts, loyalty_receipts, loyalty_refund_receipts)
SELECT batch_id, sale_date, 0, channel_key, payment_key, category_mask, sum(receipts), sum(refund_receipts), sum(loyalty_receipts),
       sum(loyalty_refund_receipts)
FROM marts.agg_mix_receipts_daily
WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 month')::date AND store_key <> 0
GROUP BY batch_id, sale_date, channel_key, payment_key, category_mask
;
-- Each key's total row over its category masks (CategoryMask.Every, marts/128), for store and all-store rows alike.
INSERT INTO marts.agg_mix_receipts_daily (batch_id, sale_date, store_key, channel_key, payment_key, category_mask, receipts,
                                          refund_receipts, loyalty_receipts, loyalty_refund_receipts)
SELECT batch_id, sale_date, store_key, channel_key, payment_key, 0, sum(receipts), sum(refund_receipts), sum(loyalty_receipts),
       sum(loyalty_refund_receipts)
FROM marts.agg_mix_receipts_daily
WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 month')::date AND category_mask <> 0
GROUP BY batch_id, sale_date, store_key, channel_key, payment_key
