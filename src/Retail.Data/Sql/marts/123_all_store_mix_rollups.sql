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
-- that has any has them all: skipping those makes the file safe to run again. Every column that is not a key is a
-- measure and is summed, so the file gives the same rows on a later schema (marts/127's loyalty parts).
DO $$
DECLARE
    t record;
    measures text;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('agg_mix_daily', 'batch_id', 'batch_id, sale_date, category_key, channel_key, payment_key'),
        ('agg_mix_receipts_daily', 'batch_id', 'batch_id, sale_date, channel_key, payment_key, category_mask'),
        ('agg_month_mix', 'month', 'month, category_key, channel_key, payment_key'),
        ('agg_month_mix_receipts', 'month', 'month, channel_key, payment_key, category_mask'),
        ('agg_week_mix', 'week', 'week, category_key, channel_key, payment_key'),
        ('agg_week_mix_receipts', 'week', 'week, channel_key, payment_key, category_mask')) AS v(rollup, unit, keys)
    LOOP
        SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) INTO measures
        FROM information_schema.columns
        WHERE table_schema = 'marts' AND table_name = t.rollup
          AND column_name <> 'store_key' AND column_name <> ALL (string_to_array(t.keys, ', '));
        -- The month and week rows come from the same published batches as their store rows, so signatures stay true.
        EXECUTE format('INSERT INTO marts.%1$s (store_key, %2$s, %3$s)
            SELECT 0, %2$s, %4$s FROM marts.%1$s
            WHERE store_key <> 0 AND %5$s NOT IN (SELECT %5$s FROM marts.%1$s WHERE store_key = 0)
            GROUP BY %2$s', t.rollup, t.keys, measures,
            (SELECT string_agg(format('sum(%s)', m), ', ' ORDER BY i)
             FROM unnest(string_to_array(measures, ', ')) WITH ORDINALITY AS x(m, i)), t.unit);
    END LOOP;
END
$$;
