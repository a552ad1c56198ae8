-- New customers without re-reading the facts (issue #10 at 100M lines): the loader gathers each file's first purchase
-- per customer while it reads the rows (Loading/FirstPurchaseAccumulator.cs). A batch published as it loads merges
-- that set at once from a temporary table; a batch loaded unpublished (`retail run` publishes after its checks) keeps
-- it here until it is published, when it is merged and deleted. A row per customer of each unpublished batch only.
CREATE TABLE IF NOT EXISTS ops.batch_first_purchases (
    batch_id        integer     NOT NULL,
    customer_key    integer     NOT NULL,
    first_sold_at   timestamptz NOT NULL,
    first_date      date        NOT NULL,
    first_store_key smallint    NOT NULL,
    PRIMARY KEY (batch_id, customer_key)
);

-- Batches loaded unpublished before this migration: their sets from their facts.
INSERT INTO ops.batch_first_purchases (batch_id, customer_key, first_sold_at, first_date, first_store_key)
SELECT DISTINCT ON (f.batch_id, f.customer_key) f.batch_id, f.customer_key, f.sold_at, f.sale_date, f.store_key
FROM marts.fct_sales f JOIN ops.load_batches b ON b.batch_id = f.batch_id
WHERE b.status = 'loaded' AND NOT b.published AND f.sale_date BETWEEN b.min_sale_date AND b.max_sale_date
  AND f.customer_key <> 0
ORDER BY f.batch_id, f.customer_key, f.sold_at, f.store_key
ON CONFLICT DO NOTHING;
