-- The loader now sketches each batch's loyalty customers straight from the rows it read (Rollups/HllSketch.cs),
-- so the exact per-customer rollup they were sketched from is no longer written or read.
-- At 100M lines it held ~one row per customer per store-day (tens of millions of rows), written on every load.
DROP TABLE IF EXISTS marts.agg_customers_daily;
