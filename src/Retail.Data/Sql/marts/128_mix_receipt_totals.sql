-- Receipt totals in the mix (issue #10): each mix receipts rollup, in every layer, also holds per key (batch and day,
-- month or week; store, channel, payment) one row with category_mask 0 (CategoryMask.Every): every receipt of the
-- key, whatever its categories. A receipt touches at least one category, so no receipt's own mask is 0, and the
-- reader's `category_mask & $mask <> 0` leaves these rows out by itself; a mix without a category filter reads them
-- alone. At 100M lines four stores over seven months were 92,848 month rows (one per category combination) and are
-- now 189. Written with the other rows by the loader (MixAccumulator) and the re-derivation (rederive_month_mix.sql),
-- carried into months and weeks by rebuild_period.sql (it groups by category_mask), held to the sum of the other rows
-- by rollups_match_facts.sql.

-- The total rows lie among the others, so each layer gets a partial index on them alone (without it the 189 rows were
-- found by reading all 93k rows' pages). Before the inserts below: Citus can refuse DDL after a parallel write in the
-- same transaction.
CREATE INDEX IF NOT EXISTS agg_mix_receipts_daily_totals ON marts.agg_mix_receipts_daily (sale_date, store_key)
    WHERE category_mask = 0;
CREATE INDEX IF NOT EXISTS agg_month_mix_receipts_totals ON marts.agg_month_mix_receipts (month, store_key) WHERE category_mask = 0;
CREATE INDEX IF NOT EXISTS agg_week_mix_receipts_totals ON marts.agg_week_mix_receipts (week, store_key) WHERE category_mask = 0;

-- Warehouses loaded before this migration gain them from the rows they have. A batch (fine layer) or a period gets its
-- totals in the transaction that writes its other rows, so one that has any has them all: skipping those makes the
-- file safe to run again.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('agg_mix_receipts_daily', 'batch_id', 'batch_id, sale_date'),
        ('agg_month_mix_receipts', 'month', 'month'),
        ('agg_week_mix_receipts', 'week', 'week')) AS v(rollup, unit, keys)
    LOOP
        EXECUTE format('INSERT INTO marts.%1$s (%2$s, store_key, channel_key, payment_key, category_mask, receipts,
                                               refund_receipts, loyalty_receipts, loyalty_refund_receipts)
            SELECT %2$s, store_key, channel_key, payment_key, 0, sum(receipts), sum(refund_receipts), sum(loyalty_receipts),
                   sum(loyalty_refund_receipts)
            FROM marts.%1$s
            WHERE category_mask <> 0 AND %3$s NOT IN (SELECT %3$s FROM marts.%1$s WHERE category_mask = 0)
            GROUP BY %2$s, store_key, channel_key, payment_key', t.rollup, t.keys, t.unit);
    END LOOP;
END
$$;
