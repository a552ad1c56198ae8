-- Channel and payment mix (issue #12): sales by channel and payment method, exact under any store, category and
-- date filter, in every rollup layer. Receipts get tables of their own rather than widening agg_receipts_daily:
-- every KPI read of receipts would otherwise sum over each channel × payment split of a (day, store, mask) row.
-- after upgrade: run `retail rollups rebuild --from-facts --only mix` (until then the mix reads nothing for older facts)
-- Sales: lines and money per day, store, category, channel and payment, per batch (written by the loader).
CREATE TABLE IF NOT EXISTS marts.agg_mix_daily (
    batch_id      integer  NOT NULL,
    sale_date     date     NOT NULL,
    store_key     smallint NOT NULL,
    category_key  smallint NOT NULL,
    channel_key   smallint NOT NULL,
    payment_key   smallint NOT NULL,
    lines         integer  NOT NULL,
    revenue_pence bigint   NOT NULL,
    gross_pence   bigint   NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_mix_daily_date ON marts.agg_mix_daily USING brin (sale_date);

-- Receipts by channel, payment and the set of categories they contain (as agg_receipts_daily), so "receipts with
-- anything in categories S" per channel is exact: SUM(receipts) WHERE category_mask & S <> 0.
CREATE TABLE IF NOT EXISTS marts.agg_mix_receipts_daily (
    batch_id        integer  NOT NULL,
    sale_date       date     NOT NULL,
    store_key       smallint NOT NULL,
    channel_key     smallint NOT NULL,
    payment_key     smallint NOT NULL,
    category_mask   integer  NOT NULL,
    receipts        integer  NOT NULL,
    refund_receipts integer  NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_mix_receipts_daily_date ON marts.agg_mix_receipts_daily USING brin (sale_date);

-- Month and week layers (Sql/rollups/rebuild_period.sql): published batches only, no day, no batch.
CREATE TABLE IF NOT EXISTS marts.agg_month_mix (
    month         date     NOT NULL,
    store_key     smallint NOT NULL,
    category_key  smallint NOT NULL,
    channel_key   smallint NOT NULL,
    payment_key   smallint NOT NULL,
    lines         bigint   NOT NULL,
    revenue_pence bigint   NOT NULL,
    gross_pence   bigint   NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_month_mix_month ON marts.agg_month_mix (month);

CREATE TABLE IF NOT EXISTS marts.agg_month_mix_receipts (
    month           date     NOT NULL,
    store_key       smallint NOT NULL,
    channel_key     smallint NOT NULL,
    payment_key     smallint NOT NULL,
    category_mask   integer  NOT NULL,
    receipts        bigint   NOT NULL,
    refund_receipts bigint   NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_month_mix_receipts_month ON marts.agg_month_mix_receipts (month);

CREATE TABLE IF NOT EXISTS marts.agg_week_mix (
    week          date     NOT NULL,
    store_key     smallint NOT NULL,
    category_key  smallint NOT NULL,
    channel_key   smallint NOT NULL,
    payment_key   smallint NOT NULL,
    lines         bigint   NOT NULL,
    revenue_pence bigint   NOT NULL,
    gross_pence   bigint   NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_week_mix_week ON marts.agg_week_mix (week);

CREATE TABLE IF NOT EXISTS marts.agg_week_mix_receipts (
    week            date     NOT NULL,
    store_key       smallint NOT NULL,
    channel_key     smallint NOT NULL,
    payment_key     smallint NOT NULL,
    category_mask   integer  NOT NULL,
    receipts        bigint   NOT NULL,
    refund_receipts bigint   NOT NULL
);
CREATE INDEX IF NOT EXISTS agg_week_mix_receipts_week ON marts.agg_week_mix_receipts (week);
