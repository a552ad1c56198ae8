-- retail history: the newest $1 runs, each with its steps in one line ("load:succeeded 1200 (2 tries), ...").
SELECT r.run_id, r.logical_date, r.trigger, r.status, r.started_at, r.finished_at,
       coalesce(string_agg(
           s.step || ':' || s.status || coalesce(' ' || s.rows, '')
               || CASE WHEN s.attempts > 1 THEN ' (' || s.attempts || ' tries)' ELSE '' END,
           ', ' ORDER BY s.started_at), ''),
       coalesce(r.error, '')
FROM (SELECT * FROM ops.pipeline_runs ORDER BY run_id DESC LIMIT $1) r
LEFT JOIN ops.pipeline_steps s USING (run_id)
GROUP BY r.run_id, r.logical_date, r.trigger, r.status, r.started_at, r.finished_at, r.error
ORDER BY r.run_id DESC
