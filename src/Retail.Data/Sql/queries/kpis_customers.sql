-- Loyalty customers who bought any selected category in any selected store: the union of the sketches (an estimate).
SELECT coalesce(round(hll_cardinality(hll_union_agg(customers))), 0)::bigint
FROM (
    SELECT customers FROM marts.agg_month_customers
    WHERE /*coarse*/ AND /*stores_or_all*/ AND /*categories*/
    UNION ALL
    SELECT customers FROM marts.agg_week_customers
    WHERE /*weeks*/ AND /*stores_or_all*/ AND /*categories*/
    UNION ALL
    SELECT customers FROM marts.agg_customers_hll_daily
    WHERE /*fine*/ AND /*stores_or_all*/ AND /*categories*/ AND /*published*/
) x
