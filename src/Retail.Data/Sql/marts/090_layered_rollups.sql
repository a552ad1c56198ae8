-- Layered rollups (issue #10): the analyst's measures on the per-batch fine rollups, HyperLogLog sketches of the
-- customers, and month rollups over published batches that the dashboard reads when their signature is current.

-- Unique customers over any filter are estimated by HyperLogLog (Debian: postgresql-15-hll; the Citus image has it).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'hll') THEN
        RAISE EXCEPTION 'the PostgreSQL extension hll is not installed on the database server: %',
            'install the package postgresql-15-hll there (apt-get install postgresql-15-hll), then run retail again';
    END IF;
END
$$;
CREATE EXTENSION IF NOT EXISTS hll;

-- Return lines are those with a negative quantity. net revenue (revenue_pence) = gross_pence - returns_pence.
-- Rows written before this migration get 0: `retail rollups rebuild --from-facts` re-derives them from fct_sales.
ALTER TABLE marts.agg_sales_hourly
    ADD COLUMN IF NOT EXISTS gross_pence    bigint  NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS returns_pence  bigint  NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS discount_pence bigint  NOT NULL DEFAULT 0,
    ADD COLUMN IF NOT EXISTS return_units   integer NOT NULL DEFAULT 0;

-- Of the receipts, those whose every line is a return: sales receipts = receipts - refund_receipts.
ALTER TABLE marts.agg_receipts_daily
    ADD COLUMN IF NOT EXISTS refund_receipts integer NOT NULL DEFAULT 0;

-- Loyalty customers per day, store and category as a sketch (log2m 12: about 1.6% standard error), per batch.
CREATE TABLE IF NOT EXISTS marts.agg_customers_hll_daily (
    batch_id     integer  NOT NULL,
    sale_date    date     NOT NULL,
    store_key    smallint NOT NULL,
    category_key smallint NOT NULL,
    customers    hll      NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_customers_hll_daily_date ON marts.agg_customers_hll_daily USING brin (sale_date);

-- Month rollups: published batches only, no batch_id, rebuilt a month at a time. A month's rows are used only
-- while marts.rollup_months holds the signature of the published batches they were built from.
CREATE TABLE IF NOT EXISTS marts.rollup_months (
    month     date        PRIMARY KEY,
    signature text        NOT NULL,
    batches   integer     NOT NULL,
    built_at  timestamptz NOT NULL
);

-- Per day (the daily series and every total), without the hour and the batch.
CREATE TABLE IF NOT EXISTS marts.agg_month_sales (
    month          date     NOT NULL,
    sale_date      date     NOT NULL,
    store_key      smallint NOT NULL,
    category_key   smallint NOT NULL,
    lines          bigint   NOT NULL,
    units          bigint   NOT NULL,
    revenue_pence  bigint   NOT NULL,
    gross_pence    bigint   NOT NULL,
    returns_pence  bigint   NOT NULL,
    discount_pence bigint   NOT NULL,
    return_units   bigint   NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_month_sales_month ON marts.agg_month_sales (month);

-- The hour-of-week heatmap: weekday x hour per month.
CREATE TABLE IF NOT EXISTS marts.agg_month_heat (
    month         date     NOT NULL,
    store_key     smallint NOT NULL,
    category_key  smallint NOT NULL,
    iso_dow       smallint NOT NULL,
    hour_of_day   smallint NOT NULL,
    revenue_pence bigint   NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_month_heat_month ON marts.agg_month_heat (month);

CREATE TABLE IF NOT EXISTS marts.agg_month_products (
    month         date     NOT NULL,
    store_key     smallint NOT NULL,
    product_key   integer  NOT NULL,
    category_key  smallint NOT NULL,
    units         bigint   NOT NULL,
    revenue_pence bigint   NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_month_products_month ON marts.agg_month_products (month);

CREATE TABLE IF NOT EXISTS marts.agg_month_receipts (
    month           date     NOT NULL,
    store_key       smallint NOT NULL,
    category_mask   integer  NOT NULL,
    receipts        bigint   NOT NULL,
    refund_receipts bigint   NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_month_receipts_month ON marts.agg_month_receipts (month);

CREATE TABLE IF NOT EXISTS marts.agg_month_customers (
    month        date     NOT NULL,
    store_key    smallint NOT NULL,
    category_key smallint NOT NULL,
    customers    hll      NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_month_customers_month ON marts.agg_month_customers (month);
