-- All-store rows for the channel and payment mix (issues #10, #12): store_key 0 in both mix rollups, in every layer,
-- is the sum of the store rows with the same other keys, as in every other rollup (marts/120): the mix for all
-- stores reads a sixteenth of the rows. Written by the loader (MixAccumulator) and the re-derivation from the facts
-- (Sql/rollups/rederive_month_mix.sql), carried into months and weeks by rebuild_period.sql (it groups by
-- store_key), checked on their own by Sql/quality/rollups_match_facts.sql, read through /*stores_or_all*/.

-- Indexes as marts/121 gives the other rollups, so a query reads only the rows it keeps (measured at 1M lines, all
-- stores: 23 days of fine receipt rows 95 -> 35 ms, 1,136 -> 740 pages; 11 months of month receipt rows 134 -> 40 ms,
-- 1,099 -> 238 pages). Before the inserts below: Citus can refuse DDL after a parallel write in the same transaction.
-- Month and week layers: by period and store, so all stores (store_key 0) or a few stores read only their rows.
DO $$
DECLARE
    grain text;
    rollup text;
BEGIN
    FOREACH grain IN ARRAY ARRAY['month', 'week'] LOOP
        FOREACH rollup IN ARRAY ARRAY['mix', 'mix_receipts'] LOOP
            EXECUTE format('DROP INDEX IF EXISTS marts.agg_%1$s_%2$s_%1$s', grain, rollup);
            EXECUTE format('CREATE INDEX IF NOT EXISTS agg_%1$s_%2$s_%1$s_store ON marts.agg_%1$s_%2$s (%1$s, store_key)',
                grain, rollup);
        END LOOP;
    END LOOP;
END
$$;

-- Fine layer: a small index on the all-store rows' days, and a date BRIN of 16 pages per range instead of 128.
DO $$
DECLARE
    rollup text;
BEGIN
    FOREACH rollup IN ARRAY ARRAY['agg_mix_daily', 'agg_mix_receipts_daily'] LOOP
        EXECUTE format('CREATE INDEX IF NOT EXISTS %1$s_all_stores ON marts.%1$s (sale_date) WHERE store_key = 0', rollup);
        EXECUTE format('DROP INDEX IF EXISTS marts.%1$s_date', rollup);
        EXECUTE format('CREATE INDEX %1$s_date ON marts.%1$s USING brin (sale_date) WITH (pages_per_range = 16)', rollup);
    END LOOP;
END
$$;

-- Warehouses loaded before this migration gain their 0 rows here, from the store rows they have. A batch (fine
-- layer) or a period (month and week layers) gets its 0 rows in the transaction that writes its store rows, so one
-- that has any has them all: skipping those makes the file safe to run again.
INSERT INTO marts.agg_mix_daily (batch_id, sale_date, store_key, category_key, channel_key, payment_key, lines, revenue_pence,
                                 gross_pence)
SELECT batch_id, sale_date, 0, category_key, channel_key, payment_key, sum(lines), sum(revenue_pence), sum(gross_pence)
FROM marts.agg_mix_daily
WHERE store_key <> 0 AND batch_id NOT IN (SELECT batch_id FROM marts.agg_mix_daily WHERE store_key = 0)
GROUP BY batch_id, sale_date, category_key, channel_key, payment_key;

INSERT INTO marts.agg_mix_receipts_daily (batch_id, sale_date, store_key, channel_key, payment_key, category_mask, receipts,
                                          refund_receipts)
SELECT batch_id, sale_date, 0, channel_key, payment_key, category_mask, sum(receipts), sum(refund_receipts)
FROM marts.agg_mix_receipts_daily
WHERE store_key <> 0 AND batch_id NOT IN (SELECT batch_id FROM marts.agg_mix_receipts_daily WHERE store_key = 0)
GROUP BY batch_id, sale_date, channel_key, payment_key, category_mask;

-- The month and week rollups: from the same published batches as their store rows, so their signatures stay true.
DO $$
DECLARE
    grain text;
BEGIN
    FOREACH grain IN ARRAY ARRAY['month', 'week'] LOOP
        EXECUTE format('INSERT INTO marts.agg_%1$s_mix (%1$s, store_key, category_key, channel_key, payment_key, lines,
                revenue_pence, gross_pence)
            SELECT %1$s, 0, category_key, channel_key, payment_key, sum(lines), sum(revenue_pence), sum(gross_pence)
            FROM marts.agg_%1$s_mix
            WHERE store_key <> 0 AND %1$s NOT IN (SELECT %1$s FROM marts.agg_%1$s_mix WHERE store_key = 0)
            GROUP BY %1$s, category_key, channel_key, payment_key', grain);
        EXECUTE format('INSERT INTO marts.agg_%1$s_mix_receipts (%1$s, store_key, channel_key, payment_key, category_mask,
                receipts, refund_receipts)
            SELECT %1$s, 0, channel_key, payment_key, category_mask, sum(receipts), sum(refund_receipts)
            FROM marts.agg_%1$s_mix_receipts
            WHERE store_key <> 0 AND %1$s NOT IN (SELECT %1$s FROM marts.agg_%1$s_mix_receipts WHERE store_key = 0)
            GROUP BY %1$s, channel_key, payment_key, category_mask', grain);
    END LOOP;
END
$$;
