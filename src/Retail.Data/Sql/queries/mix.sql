-- Channel and payment mix for the filter: per channel and per payment method (every one in the dimensions, 0 where
-- nothing sold), net revenue, gross sales and lines of the selected categories, and the receipts holding any of them;
-- then the same split by loyalty card (marts/127): lines bought with a card, receipts with any such line, and the rest.
-- Without a store filter it reads the all-store rows (store_key 0, marts/123) alone; without a category filter, the
-- receipts' total rows (category_mask 0, marts/128) alone, else the rows of the category combinations it selects.
WITH sales AS (
    SELECT channel_key, payment_key, sum(revenue_pence) AS revenue, sum(gross_pence) AS gross, sum(lines) AS lines,
           sum(loyalty_revenue_pence) AS l_revenue, sum(loyalty_gross_pence) AS l_gross, sum(loyalty_lines) AS l_lines
    FROM (
        SELECT channel_key, payment_key, revenue_pence, gross_pence, lines, loyalty_revenue_pence, loyalty_gross_pence,
               loyalty_lines
        FROM marts.agg_month_mix
        WHERE /*coarse*/ AND /*stores_or_all*/ AND /*categories*/
        UNION ALL
        SELECT channel_key, payment_key, revenue_pence, gross_pence, lines, loyalty_revenue_pence, loyalty_gross_pence,
               loyalty_lines
        FROM marts.agg_week_mix
        WHERE /*weeks*/ AND /*stores_or_all*/ AND /*categories*/
        UNION ALL
        SELECT channel_key, payment_key, revenue_pence, gross_pence, lines, loyalty_revenue_pence, loyalty_gross_pence,
               loyalty_lines
        FROM marts.agg_mix_daily
        WHERE /*fine*/ AND /*stores_or_all*/ AND /*categories*/ AND /*published*/
    ) x
    GROUP BY channel_key, payment_key),
receipts AS (
    SELECT channel_key, payment_key, sum(receipts) AS receipts, sum(refund_receipts) AS refund_receipts,
           sum(loyalty_receipts) AS l_receipts, sum(loyalty_refund_receipts) AS l_refund_receipts
    FROM (
        SELECT channel_key, payment_key, receipts, refund_receipts, loyalty_receipts, loyalty_refund_receipts
        FROM marts.agg_month_mix_receipts
        WHERE /*coarse*/ AND /*stores_or_all*/ AND /*receipt_masks*/
        UNION ALL
        SELECT channel_key, payment_key, receipts, refund_receipts, loyalty_receipts, loyalty_refund_receipts
        FROM marts.agg_week_mix_receipts
        WHERE /*weeks*/ AND /*stores_or_all*/ AND /*receipt_masks*/
        UNION ALL
        SELECT channel_key, payment_key, receipts, refund_receipts, loyalty_receipts, loyalty_refund_receipts
        FROM marts.agg_mix_receipts_daily
        WHERE /*fine*/ AND /*stores_or_all*/ AND /*receipt_masks*/ AND /*published*/
    ) x
    GROUP BY channel_key, payment_key),
pairs AS (
    SELECT channel_key, payment_key, coalesce(s.revenue, 0) AS revenue, coalesce(s.gross, 0) AS gross,
           coalesce(s.lines, 0) AS lines, coalesce(r.receipts, 0) AS receipts, coalesce(r.refund_receipts, 0) AS refund_receipts,
           coalesce(s.l_revenue, 0) AS l_revenue, coalesce(s.l_gross, 0) AS l_gross, coalesce(s.l_lines, 0) AS l_lines,
           coalesce(r.l_receipts, 0) AS l_receipts, coalesce(r.l_refund_receipts, 0) AS l_refund_receipts
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
    UNION ALL
    SELECT 'loyalty', 'loyalty_card', coalesce(sum(l_revenue), 0)::bigint, coalesce(sum(l_gross), 0)::bigint,
           coalesce(sum(l_lines), 0)::bigint, coalesce(sum(l_receipts), 0)::bigint, coalesce(sum(l_refund_receipts), 0)::bigint
    FROM pairs
    UNION ALL
    SELECT 'loyalty', 'no_card', coalesce(sum(revenue - l_revenue), 0)::bigint, coalesce(sum(gross - l_gross), 0)::bigint,
           coalesce(sum(lines - l_lines), 0)::bigint, coalesce(sum(receipts - l_receipts), 0)::bigint,
           coalesce(sum(refund_receipts - l_refund_receipts), 0)::bigint
    FROM pairs
) mix
ORDER BY part, revenue DESC, name COLLATE "C"
