-- Months between $1 and $2 whose month rollups were built from exactly today's published batches.
SELECT r.month
FROM marts.rollup_months r
JOIN (/*signatures*/) s ON s.month = r.month AND s.signature = r.signature
WHERE r.month BETWEEN date_trunc('month', $1::date)::date AND $2::date
ORDER BY r.month
