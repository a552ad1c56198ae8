-- Channel and payment mix for the filter: per channel and per payment method (every one in the dimensions, 0 where
-- nothing sold), net revenue, gross sales and lines of the selected categories, and the receipts holding any of them.
-- Without a store filter it reads the all-store rows (store_key 0, marts/123) alone.
WITH sales AS (
    SELECT channel_key, payment_key, sum(revenue_pence) AS revenue, sum(gross_pence) AS gross, sum(lines) AS lines
    FROM (
        SELECT channel_key, payment_key, revenue_pence, gross_pence, lines FROM marts.agg_month_mix
        WHERE /*coarse*/ AND /*stores_or_all*/ AND /*categories*/
        UNION ALL
        SELECT channel_key, payment_key, revenue_pence, gross_pence, lines FROM marts.agg_week_mix
        WHERE /*weeks*/ AND /*stores_or_all*/ AND /*categories*/
        UNION ALL
        SELECT channel_key, payment_key, revenue_pence, gross_pence, lines FROM marts.agg_mix_daily
        WHERE /*fine*/ AND /*stores_or_all*/ AND /*categories*/ AND /*published*/
    ) x
    GROUP BY channel_key, payment_key),
receipts AS (
    SELECT channel_key, payment_key, sum(receipts) AS receipts, sum(refund_receipts) AS refund_receipts
    FROM (
        SELECT channel_key, payment_key, receipts, refund_receipts FROM marts.agg_month_mix_receipts
        WHERE /*coarse*/ AND /*stores_or_all*/ AND category_mask & $5 <> 0
        UNION ALL
        SELECT channel_key, payment_key, receipts, refund_receipts FROM marts.agg_week_mix_receipts
        WHERE /*weeks*/ AND /*stores_or_all*/ AND category_mask & $5 <> 0
        UNION ALL
        SELECT channel_key, payment_key, receipts, refund_receipts FROM marts.agg_mix_receipts_daily
        WHERE /*fine*/ AND /*stores_or_all*/ AND category_mask & $5 <> 0 AND /*published*/
    ) x
    GROUP BY channel_key, payment_key),
pairs AS (
    SELECT channel_key, payment_key, coalesce(s.revenue, 0) AS revenue, coalesce(s.gross, 0) AS gross,
           coalesce(s.lines, 0) AS lines, coalesce(r.receipts, 0) AS receipts, coalesce(r.refund_receipts, 0) AS refund_receipts
    FROM sales s FULL JOIN receipts r USING (channel_key, payment_key))
SELECT * FROM (
    SELECT 'channel' AS part, c.channel AS name, coalesce(sum(p.revenue), 0)::bigint AS revenue, coalesce(sum(p.gross), 0)::bigint,
           coalesce(sum(p.lines), 0)::bigint, coalesce(sum(p.receipts), 0)::bigint, coalesce(sum(p.refund_receipts), 0)::bigint
    FROM marts.dim_channel c LEFT JOIN pairs p USING (channel_key)
    GROUP BY c.channel_key, c.channel
    UNION ALL
    SELECT 'payment', m.payment_method, coalesce(sum(p.revenue), 0)::bigint, coalesce(sum(p.gross), 0)::bigint,
           coalesce(sum(p.lines), 0)::bigint, coalesce(sum(p.receipts), 0)::bigint, coalesce(sum(p.refund_receipts), 0)::bigint
    FROM marts.dim_payment_method m LEFT JOIN pairs p USING (payment_key)
    GROUP BY m.payment_key, m.payment_method
) mix
ORDER BY part, revenue DESC, name COLLATE "C"
