-- One pipeline step's state; a retried or finished step updates its row. $1 run, $2 step, $3 status, $4 now,
-- $5 rows, $6 attempts, $7 error.
INSERT INTO ops.pipeline_steps (run_id, step, status, started_at, finished_at, rows, attempts, error)
VALUES ($1, $2, $3, $4, CASE WHEN $3 = 'running' THEN NULL ELSE $4 END, $5, $6, $7)
ON CONFLICT (run_id, step) DO UPDATE SET status = EXCLUDED.status, finished_at = EXCLUDED.finished_at,
    rows = EXCLUDED.rows, attempts = EXCLUDED.attempts, error = EXCLUDED.error
