-- Loyalty share of sales (issue #12): the channel and payment mix rollups also carry the part of each row bought with
-- a loyalty card (customer_key <> 0), so the share is exact under every store, category and date filter, in every
-- layer, with no new rows (a loyalty split as a key would double the mix, the dashboard's dearest read at 100M lines).
-- A receipt is a loyalty receipt when any of its lines carries a card (tills give a receipt one customer).
-- Facts loaded before this migration have no loyalty part until the mix is re-derived (the schema step says so, from
-- the line below, and rollups_match_facts names the days); until then the loyalty share is understated. The defaults
-- give the rows already there their 0 (NOT NULL needs one).
-- after upgrade: run `retail rollups rebuild --from-facts --only mix` (until then the loyalty share is understated)
DO $$
DECLARE
    t text;
    c text;
BEGIN
    -- Counts are integer in the per-batch tables and bigint in months and weeks, as the columns beside them.
    FOREACH t IN ARRAY ARRAY['agg_mix_daily', 'agg_month_mix', 'agg_week_mix'] LOOP
        EXECUTE format('ALTER TABLE marts.%s ADD COLUMN IF NOT EXISTS loyalty_lines %s NOT NULL DEFAULT 0', t,
            CASE WHEN t LIKE '%daily' THEN 'integer' ELSE 'bigint' END);
        FOREACH c IN ARRAY ARRAY['loyalty_revenue_pence', 'loyalty_gross_pence'] LOOP
            EXECUTE format('ALTER TABLE marts.%s ADD COLUMN IF NOT EXISTS %s bigint NOT NULL DEFAULT 0', t, c);
        END LOOP;
    END LOOP;
    FOREACH t IN ARRAY ARRAY['agg_mix_receipts_daily', 'agg_month_mix_receipts', 'agg_week_mix_receipts'] LOOP
        FOREACH c IN ARRAY ARRAY['loyalty_receipts', 'loyalty_refund_receipts'] LOOP
            EXECUTE format('ALTER TABLE marts.%s ADD COLUMN IF NOT EXISTS %s %s NOT NULL DEFAULT 0', t, c,
                CASE WHEN t LIKE '%daily' THEN 'integer' ELSE 'bigint' END);
        END LOOP;
    END LOOP;
END
$$;
