-- Months whose month rollups are missing, out of date, or left over from batches no longer published.
SELECT coalesce(s.month, r.month)
FROM (/*signatures*/) s
FULL JOIN marts.rollup_months r ON r.month = s.month
WHERE s.signature IS DISTINCT FROM r.signature
ORDER BY 1
