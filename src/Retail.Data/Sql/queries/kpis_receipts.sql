SELECT coalesce(sum(receipts), 0)::bigint, coalesce(sum(refund_receipts), 0)::bigint
FROM (
    SELECT receipts, refund_receipts FROM marts.agg_month_receipts
    WHERE /*coarse*/ AND /*stores_or_all*/ AND category_mask & $5 <> 0
    UNION ALL
    SELECT receipts, refund_receipts FROM marts.agg_week_receipts
    WHERE /*weeks*/ AND /*stores_or_all*/ AND category_mask & $5 <> 0
    UNION ALL
    SELECT receipts, refund_receipts FROM marts.agg_receipts_daily
    WHERE /*fine*/ AND /*stores_or_all*/ AND category_mask & $5 <> 0 AND /*published*/
) x
