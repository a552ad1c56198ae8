-- Loyalty share of sales (issue #12): the channel and payment mix rollups also carry the part of each row bought with
-- a loyalty card (customer_key <> 0), so the share is exact under every store, category and date filter, in every
-- layer, with no new rows (a loyalty split as a key would double the mix, the dashboard's dearest read at 100M lines).
-- A receipt is a loyalty receipt when any of its lines carries a card (tills give a receipt one customer).
-- Warehouses loaded before this migration read 0 here until `retail rollups rebuild --from-facts --only mix`
-- (rollups_match_facts names it, as it would name a writer that left them at 0). The defaults stay so that earlier
-- migrations' inserts (marts/123's all-store backfill) still run on this schema.
DO $$
DECLARE
    t text;
    c text;
BEGIN
    FOREACH t IN ARRAY ARRAY['agg_mix_daily', 'agg_month_mix', 'agg_week_mix'] LOOP
        FOREACH c IN ARRAY ARRAY['loyalty_lines', 'loyalty_revenue_pence', 'loyalty_gross_pence'] LOOP
            EXECUTE format('ALTER TABLE marts.%s ADD COLUMN IF NOT EXISTS %s bigint NOT NULL DEFAULT 0', t, c);
        END LOOP;
    END LOOP;
    FOREACH t IN ARRAY ARRAY['agg_mix_receipts_daily', 'agg_month_mix_receipts', 'agg_week_mix_receipts'] LOOP
        FOREACH c IN ARRAY ARRAY['loyalty_receipts', 'loyalty_refund_receipts'] LOOP
            EXECUTE format('ALTER TABLE marts.%s ADD COLUMN IF NOT EXISTS %s bigint NOT NULL DEFAULT 0', t, c);
        END LOOP;
    END LOOP;
END
$$;
