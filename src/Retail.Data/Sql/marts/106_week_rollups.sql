-- Week rollups (ISO weeks, Monday to Sunday) between the month rollups and the per-batch fine rollups: a range's
-- edges inside a month are read as whole weeks plus at most six days a side, not up to a month of days. Same
-- rules as the month layer (published batches only, a week's rows read only while marts.rollup_weeks holds the
-- signature of the published batches they were built from); built by Sql/rollups/rebuild_period.sql.
CREATE TABLE IF NOT EXISTS marts.rollup_weeks (
    week      date        PRIMARY KEY,
    signature text        NOT NULL,
    batches   integer     NOT NULL,
    built_at  timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS marts.agg_week_sales (
    week           date     NOT NULL,
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
CREATE INDEX IF NOT EXISTS agg_week_sales_week ON marts.agg_week_sales (week);

CREATE TABLE IF NOT EXISTS marts.agg_week_heat (
    week          date     NOT NULL,
    store_key     smallint NOT NULL,
    category_key  smallint NOT NULL,
    iso_dow       smallint NOT NULL,
    hour_of_day   smallint NOT NULL,
    revenue_pence bigint   NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_week_heat_week ON marts.agg_week_heat (week);

CREATE TABLE IF NOT EXISTS marts.agg_week_products (
    week          date     NOT NULL,
    store_key     smallint NOT NULL,
    product_key   integer  NOT NULL,
    category_key  smallint NOT NULL,
    units         bigint   NOT NULL,
    revenue_pence bigint   NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_week_products_week ON marts.agg_week_products (week);

CREATE TABLE IF NOT EXISTS marts.agg_week_receipts (
    week            date     NOT NULL,
    store_key       smallint NOT NULL,
    category_mask   integer  NOT NULL,
    receipts        bigint   NOT NULL,
    refund_receipts bigint   NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_week_receipts_week ON marts.agg_week_receipts (week);

CREATE TABLE IF NOT EXISTS marts.agg_week_customers (
    week         date     NOT NULL,
    store_key    smallint NOT NULL,
    category_key smallint NOT NULL,
    customers    hll      NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_week_customers_week ON marts.agg_week_customers (week);
