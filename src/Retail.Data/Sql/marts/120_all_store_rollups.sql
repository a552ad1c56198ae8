-- All-store rows (issue #10): store_key 0 in every rollup is the sum (for sketches, the union) of that rollup's
-- store rows with the same other keys. Half of what an analyst asks is "all stores", and the store dimension
-- multiplies rollup rows 16 times: a query without a store filter reads the 0 rows alone. Queries with a store
-- filter read the store rows and never the 0 rows (SalesQueries fills /*stores*/ and /*stores_or_all*/ so).
-- Written by the loader (RollupAccumulator; its sketches by Rollups/HllSketch.cs) and by the re-derivation from the facts
-- (Sql/rollups/rederive_month.sql); carried into the month and week rollups by rebuild_period.sql, which groups by
-- store_key; checked against the facts by Sql/quality/rollups_match_facts.sql.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'dim_store_key_positive') THEN
        ALTER TABLE marts.dim_store ADD CONSTRAINT dim_store_key_positive CHECK (store_key > 0);
    END IF;
END
$$;

-- Warehouses loaded before this migration gain their 0 rows here, in every layer, from the store rows they have.
INSERT INTO marts.agg_sales_hourly (batch_id, sale_date, store_key, category_key, hour_of_day, lines, units, revenue_pence,
                                    gross_pence, returns_pence, discount_pence, return_units)
SELECT batch_id, sale_date, 0, category_key, hour_of_day, sum(lines), sum(units), sum(revenue_pence),
       sum(gross_pence), sum(returns_pence), sum(discount_pence), sum(return_units)
FROM marts.agg_sales_hourly WHERE store_key <> 0
GROUP BY batch_id, sale_date, category_key, hour_of_day;

INSERT INTO marts.agg_product_daily (batch_id, sale_date, store_key, product_key, category_key, units, revenue_pence)
SELECT batch_id, sale_date, 0, product_key, category_key, sum(units), sum(revenue_pence)
FROM marts.agg_product_daily WHERE store_key <> 0
GROUP BY batch_id, sale_date, product_key, category_key;

INSERT INTO marts.agg_receipts_daily (batch_id, sale_date, store_key, category_mask, receipts, refund_receipts)
SELECT batch_id, sale_date, 0, category_mask, sum(receipts), sum(refund_receipts)
FROM marts.agg_receipts_daily WHERE store_key <> 0
GROUP BY batch_id, sale_date, category_mask;

INSERT INTO marts.agg_customers_hll_daily (batch_id, sale_date, store_key, category_key, customers)
SELECT batch_id, sale_date, 0, category_key, hll_union_agg(customers)
FROM marts.agg_customers_hll_daily WHERE store_key <> 0
GROUP BY batch_id, sale_date, category_key;

-- The month and week rollups: built from the same published batches as their store rows, so their signatures stay true.
DO $$
DECLARE
    grain text;
BEGIN
    FOREACH grain IN ARRAY ARRAY['month', 'week'] LOOP
        EXECUTE format('INSERT INTO marts.agg_%1$s_sales (%1$s, sale_date, store_key, category_key, lines, units,
                revenue_pence, gross_pence, returns_pence, discount_pence, return_units)
            SELECT %1$s, sale_date, 0, category_key, sum(lines), sum(units), sum(revenue_pence), sum(gross_pence),
                   sum(returns_pence), sum(discount_pence), sum(return_units)
            FROM marts.agg_%1$s_sales WHERE store_key <> 0 GROUP BY %1$s, sale_date, category_key', grain);
        -- The week heat rollup is gone since marts/125 (this runs again when a warehouse is repaired).
        IF to_regclass(format('marts.agg_%s_heat', grain)) IS NOT NULL THEN
            EXECUTE format('INSERT INTO marts.agg_%1$s_heat (%1$s, store_key, category_key, iso_dow, hour_of_day, revenue_pence)
                SELECT %1$s, 0, category_key, iso_dow, hour_of_day, sum(revenue_pence)
                FROM marts.agg_%1$s_heat WHERE store_key <> 0 GROUP BY %1$s, category_key, iso_dow, hour_of_day', grain);
        END IF;
        EXECUTE format('INSERT INTO marts.agg_%1$s_products (%1$s, store_key, product_key, category_key, units, revenue_pence)
            SELECT %1$s, 0, product_key, category_key, sum(units), sum(revenue_pence)
            FROM marts.agg_%1$s_products WHERE store_key <> 0 GROUP BY %1$s, product_key, category_key', grain);
        EXECUTE format('INSERT INTO marts.agg_%1$s_receipts (%1$s, store_key, category_mask, receipts, refund_receipts)
            SELECT %1$s, 0, category_mask, sum(receipts), sum(refund_receipts)
            FROM marts.agg_%1$s_receipts WHERE store_key <> 0 GROUP BY %1$s, category_mask', grain);
        EXECUTE format('INSERT INTO marts.agg_%1$s_customers (%1$s, store_key, category_key, customers)
            SELECT %1$s, 0, category_key, hll_union_agg(customers)
            FROM marts.agg_%1$s_customers WHERE store_key <> 0 GROUP BY %1$s, category_key', grain);
    END LOOP;
END
$$;
