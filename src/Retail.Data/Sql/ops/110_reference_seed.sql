-- Which version of the reference seed (Retail.Core.Reference.ReferenceSeed) each schema apply upserted into the
-- dimensions, and when: one row per version, so "which stores does this warehouse know" has an answer.
-- The dimensions' natural keys (store_code, category_name, payment_method, channel) are already UNIQUE (010).
CREATE TABLE IF NOT EXISTS ops.reference_seeds (
    version    integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
