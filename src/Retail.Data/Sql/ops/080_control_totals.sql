-- The control totals that vouch for a batch (per store per day, from the manifest beside its file), recorded with the
-- batch in the same transaction: reconciliation follows the data, wherever the staging files went afterwards.
ALTER TABLE ops.load_batches ADD COLUMN IF NOT EXISTS has_control_totals boolean NOT NULL DEFAULT false;

CREATE TABLE IF NOT EXISTS ops.batch_control_totals (
    batch_id      integer NOT NULL REFERENCES ops.load_batches ON DELETE CASCADE,
    sale_date     date    NOT NULL,
    store_code    text    NOT NULL,
    lines         bigint  NOT NULL,
    units         bigint  NOT NULL,
    revenue_pence bigint  NOT NULL,
    PRIMARY KEY (batch_id, sale_date, store_code)
);

-- A check's outcome in words: pass, fail, or unreconciled (batches without control totals: not a failure, never a pass).
ALTER TABLE ops.check_results ADD COLUMN IF NOT EXISTS status text;
