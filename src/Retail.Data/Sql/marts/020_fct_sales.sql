-- Grain: one product line on a receipt. Money in integer pence. Partitioned by month of sale date;
-- the loader creates partitions on demand. No foreign keys: the loader resolves every key before COPY,
-- and the 'referential_integrity' quality check proves it (FK checks per row would halve COPY speed).
CREATE TABLE IF NOT EXISTS marts.fct_sales (
    sale_date             date     NOT NULL,
    transaction_id        bigint   NOT NULL,
    line_no               smallint NOT NULL,
    sold_at               timestamptz NOT NULL,
    store_key             smallint NOT NULL,
    product_key           integer  NOT NULL,
    customer_key          integer  NOT NULL,
    payment_key           smallint NOT NULL,
    channel_key           smallint NOT NULL,
    quantity              integer  NOT NULL,
    unit_price_pence      integer  NOT NULL,
    discount_pence        integer  NOT NULL,
    line_total_pence      bigint   NOT NULL,
    return_of_transaction bigint,
    batch_id              integer  NOT NULL,
    PRIMARY KEY (sale_date, transaction_id, line_no)
) PARTITION BY RANGE (sale_date);
