-- One row per file load attempt. A file (by SHA-256) is 'loaded' at most once.
CREATE TABLE IF NOT EXISTS ops.load_batches (
    batch_id      serial PRIMARY KEY,
    file_name     text        NOT NULL,
    file_sha256   text        NOT NULL,
    rows_read     bigint      NOT NULL DEFAULT 0,
    rows_loaded   bigint      NOT NULL DEFAULT 0,
    rows_rejected bigint      NOT NULL DEFAULT 0,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    status        text        NOT NULL CHECK (status IN ('loaded', 'failed', 'replaced')),
    error         text,
    min_sale_date date,
    max_sale_date date,
    -- Rollups of unpublished batches stay hidden from the dashboard until the day's checks pass.
    published     boolean     NOT NULL DEFAULT true
);
CREATE UNIQUE INDEX IF NOT EXISTS load_batches_loaded_once ON ops.load_batches (file_sha256) WHERE status = 'loaded';
CREATE INDEX IF NOT EXISTS load_batches_dates ON ops.load_batches (min_sale_date, max_sale_date);

-- Quarantine: every rejected line with its reason. Nothing is dropped silently.
CREATE TABLE IF NOT EXISTS ops.rejected_rows (
    batch_id integer NOT NULL REFERENCES ops.load_batches ON DELETE CASCADE,
    line_no  bigint  NOT NULL,
    raw_line text    NOT NULL,
    reason   text    NOT NULL,
    PRIMARY KEY (batch_id, line_no)
);
