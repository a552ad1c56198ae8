-- Run history of the pipeline (retail run / schedule / demo) and its data-quality results.
CREATE TABLE IF NOT EXISTS ops.pipeline_runs (
    run_id       serial PRIMARY KEY,
    logical_date date        NOT NULL,
    trigger      text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz,
    error        text
);
CREATE INDEX IF NOT EXISTS pipeline_runs_date ON ops.pipeline_runs (logical_date, status);

CREATE TABLE IF NOT EXISTS ops.pipeline_steps (
    run_id      integer     NOT NULL REFERENCES ops.pipeline_runs ON DELETE CASCADE,
    step        text        NOT NULL,
    status      text        NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    rows        bigint,
    attempts    integer     NOT NULL DEFAULT 1,
    error       text,
    PRIMARY KEY (run_id, step)
);

CREATE TABLE IF NOT EXISTS ops.check_results (
    checked_at   timestamptz NOT NULL,
    run_id       integer,
    logical_date date,
    check_name   text        NOT NULL,
    passed       boolean     NOT NULL,
    observed     text        NOT NULL,
    expected     text        NOT NULL
);
CREATE INDEX IF NOT EXISTS check_results_date ON ops.check_results (logical_date, checked_at);
