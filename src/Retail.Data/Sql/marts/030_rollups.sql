-- Rollups the dashboard reads, written by the loader in the same transaction as the facts.
-- Rows arrive in date order, so a BRIN index on sale_date prunes date ranges at almost no cost per insert.
-- Carry the batch so a forced reload replaces exactly one batch's contribution (found through the date
-- index and the batch's date range; a batch index would slow every load); additive, so queries SUM.

-- store x category x hour x day: revenue, units and lines for KPIs, trends and the hour-of-week heatmap.
CREATE TABLE IF NOT EXISTS marts.agg_sales_hourly (
    batch_id      integer  NOT NULL,
    sale_date     date     NOT NULL,
    store_key     smallint NOT NULL,
    category_key  smallint NOT NULL,
    hour_of_day   smallint NOT NULL,
    lines         integer  NOT NULL,
    units         integer  NOT NULL,
    revenue_pence bigint   NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_sales_hourly_date ON marts.agg_sales_hourly USING brin (sale_date);

-- store x product x day: top products.
CREATE TABLE IF NOT EXISTS marts.agg_product_daily (
    batch_id      integer  NOT NULL,
    sale_date     date     NOT NULL,
    store_key     smallint NOT NULL,
    product_key   integer  NOT NULL,
    category_key  smallint NOT NULL,
    units         integer  NOT NULL,
    revenue_pence bigint   NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_product_daily_date ON marts.agg_product_daily USING brin (sale_date);

-- Receipts by the set of categories they contain (a bit mask over category_key), so "transactions that
-- bought anything in categories S" is exact: SUM(receipts) WHERE category_mask & S <> 0.
CREATE TABLE IF NOT EXISTS marts.agg_receipts_daily (
    batch_id      integer  NOT NULL,
    sale_date     date     NOT NULL,
    store_key     smallint NOT NULL,
    category_mask integer  NOT NULL,
    receipts      integer  NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_receipts_daily_date ON marts.agg_receipts_daily USING brin (sale_date);

-- Loyalty customers per store-day with the categories they bought, for exact unique-customer counts.
CREATE TABLE IF NOT EXISTS marts.agg_customers_daily (
    batch_id      integer  NOT NULL,
    sale_date     date     NOT NULL,
    store_key     smallint NOT NULL,
    customer_key  integer  NOT NULL,
    category_mask integer  NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_customers_daily_date ON marts.agg_customers_daily USING brin (sale_date);
