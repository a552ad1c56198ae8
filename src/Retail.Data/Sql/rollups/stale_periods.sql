-- Periods ({grain}: month or week) whose rollups are missing, out of date, or left over from batches no longer published.
SELECT coalesce(s.period, r.{grain})
FROM (/*signatures*/) s
FULL JOIN marts.rollup_{grain}s r ON r.{grain} = s.period
WHERE s.signature IS DISTINCT FROM r.signature
ORDER BY 1
