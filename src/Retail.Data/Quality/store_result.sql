INSERT INTO ops.check_results (checked_at, run_id, logical_date, check_name, passed, observed, expected, status)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
