-- One period's rollups over the published batches $2 (ids in order), in the caller's transaction. A template:
-- {grain} is month or week (ISO, Monday to Sunday), so both layers share one definition of each rollup.
-- $1 is the period's first day. Grouping by store_key carries the all-store rows (store_key 0) through.
-- A month reads the whole weeks [$3, $4) inside it from their week rollups (current for the same batches: the caller
-- checks under the weeks' locks) and only its other days from the fine rollups; a week passes $3 = $4 (no weeks).
-- At 1M lines a month's products are 73k fine rows but 29k week rows. Statements are separated by a line holding only
-- a semicolon. The heat rollup is a month's only (rebuild_month_heat.sql).
DELETE FROM marts.agg_{grain}_sales WHERE {grain} = $1
;
DELETE FROM marts.agg_{grain}_products WHERE {grain} = $1
;
DELETE FROM marts.agg_{grain}_receipts WHERE {grain} = $1
;
DELETE FROM marts.agg_{grain}_customers WHERE {grain} = $1
;
DELETE FROM marts.agg_{grain}_mix WHERE {grain} = $1
;
DELETE FROM marts.agg_{grain}_mix_receipts WHERE {grain} = $1
;
INSERT INTO marts.agg_{grain}_sales ({grain}, sale_date, store_key, category_key,
                                     lines, units, revenue_pence, gross_pence, returns_pence, discount_pence, return_units)
SELECT $1, sale_date, store_key, category_key,
       sum(lines), sum(units), sum(revenue_pence), sum(gross_pence), sum(returns_pence), sum(discount_pence), sum(return_units)
FROM (
    SELECT sale_date, store_key, category_key,
           lines, units, revenue_pence, gross_pence, returns_pence, discount_pence, return_units
    FROM marts.agg_sales_hourly
    WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 {grain}')::date AND batch_id = ANY ($2)
          AND NOT (sale_date >= $3 AND sale_date < $4)
    UNION ALL
    SELECT sale_date, store_key, category_key,
           lines, units, revenue_pence, gross_pence, returns_pence, discount_pence, return_units
    FROM marts.agg_week_sales WHERE week >= $3 AND week < $4
) x
GROUP BY sale_date, store_key, category_key
;
INSERT INTO marts.agg_{grain}_products ({grain}, store_key, product_key, category_key, units, revenue_pence)
SELECT $1, store_key, product_key, category_key, sum(units), sum(revenue_pence)
FROM (
    SELECT store_key, product_key, category_key, units, revenue_pence FROM marts.agg_product_daily
    WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 {grain}')::date AND batch_id = ANY ($2)
          AND NOT (sale_date >= $3 AND sale_date < $4)
    UNION ALL
    SELECT store_key, product_key, category_key, units, revenue_pence FROM marts.agg_week_products WHERE week >= $3 AND week < $4
) x
GROUP BY store_key, product_key, category_key
;
INSERT INTO marts.agg_{grain}_receipts ({grain}, store_key, category_mask, receipts, refund_receipts)
SELECT $1, store_key, category_mask, sum(receipts), sum(refund_receipts)
FROM (
    SELECT store_key, category_mask, receipts, refund_receipts FROM marts.agg_receipts_daily
    WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 {grain}')::date AND batch_id = ANY ($2)
          AND NOT (sale_date >= $3 AND sale_date < $4)
    UNION ALL
    SELECT store_key, category_mask, receipts, refund_receipts FROM marts.agg_week_receipts WHERE week >= $3 AND week < $4
) x
GROUP BY store_key, category_mask
;
INSERT INTO marts.agg_{grain}_customers ({grain}, store_key, category_key, customers)
SELECT $1, store_key, category_key, hll_union_agg(customers)
FROM (
    SELECT store_key, category_key, customers FROM marts.agg_customers_hll_daily
    WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 {grain}')::date AND batch_id = ANY ($2)
          AND NOT (sale_date >= $3 AND sale_date < $4)
    UNION ALL
    SELECT store_key, category_key, customers FROM marts.agg_week_customers WHERE week >= $3 AND week < $4
) x
GROUP BY store_key, category_key
;
-- Channel and payment mix (issue #12): sales per category, receipts per category mask, as the fine mix rollups, each with
-- its loyalty part (marts/127).
INSERT INTO marts.agg_{grain}_mix ({grain}, store_key, category_key, channel_key, payment_key, lines, revenue_pence, gross_pence,
                               loyalty_lines, loyalty_revenue_pence, loyalty_gross_pence)
SELECT $1, store_key, category_key, channel_key, payment_key, sum(lines), sum(revenue_pence), sum(gross_pence),
       sum(loyalty_lines), sum(loyalty_revenue_pence), sum(loyalty_gross_pence)
FROM (
    SELECT store_key, category_key, channel_key, payment_key, lines, revenue_pence, gross_pence, loyalty_lines,
           loyalty_revenue_pence, loyalty_gross_pence
    FROM marts.agg_mix_daily
    WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 {grain}')::date AND batch_id = ANY ($2)
          AND NOT (sale_date >= $3 AND sale_date < $4)
    UNION ALL
    SELECT store_key, category_key, channel_key, payment_key, lines, revenue_pence, gross_pence, loyalty_lines,
           loyalty_revenue_pence, loyalty_gross_pence
    FROM marts.agg_week_mix WHERE week >= $3 AND week < $4
) x
GROUP BY store_key, category_key, channel_key, payment_key
;
INSERT INTO marts.agg_{grain}_mix_receipts ({grain}, store_key, channel_key, payment_key, category_mask, receipts, refund_receipts,
                                        loyalty_receipts, loyalty_refund_receipts)
SELECT $1, store_key, channel_key, payment_key, category_mask, sum(receipts), sum(refund_receipts), sum(loyalty_receipts),
       sum(loyalty_refund_receipts)
FROM (
    SELECT store_key, channel_key, payment_key, category_mask, receipts, refund_receipts, loyalty_receipts, loyalty_refund_receipts
    FROM marts.agg_mix_receipts_daily
    WHERE sale_date >= $1 AND sale_date < ($1 + interval '1 {grain}')::date AND batch_id = ANY ($2)
          AND NOT (sale_date >= $3 AND sale_date < $4)
    UNION ALL
    SELECT store_key, channel_key, payment_key, category_mask, receipts, refund_receipts, loyalty_receipts, loyalty_refund_receipts
    FROM marts.agg_week_mix_receipts WHERE week >= $3 AND week < $4
) x
GROUP BY store_key, channel_key, payment_key, category_mask
;
INSERT INTO marts.rollup_{grain}s ({grain}, signature, batches, built_at)
VALUES ($1, md5(array_to_string($2, ',')), cardinality($2), now())
ON CONFLICT ({grain}) DO UPDATE SET signature = excluded.signature, batches = excluded.batches, built_at = excluded.built_at
