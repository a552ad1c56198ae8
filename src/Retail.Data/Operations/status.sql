-- retail status: one row per question an operator asks; only published batches count as data.
-- 1. The last pipeline run.
SELECT run_id, logical_date, status, started_at, finished_at FROM ops.pipeline_runs ORDER BY run_id DESC LIMIT 1;
-- 2. The last load and how far the data reaches.
SELECT max(finished_at), count(*)::bigint, coalesce(sum(rows_loaded), 0)::bigint, max(max_sale_date)
FROM ops.published_batches;
-- 3. Checks whose latest result failed.
SELECT check_name FROM (
    SELECT DISTINCT ON (check_name) check_name, passed FROM ops.check_results ORDER BY check_name, checked_at DESC
) latest WHERE NOT passed ORDER BY check_name;
-- 4. Loads that failed since the last successful one.
SELECT count(*)::bigint FROM ops.load_batches
WHERE status = 'failed' AND started_at > coalesce((SELECT max(finished_at) FROM ops.loaded_batches), '-infinity');
