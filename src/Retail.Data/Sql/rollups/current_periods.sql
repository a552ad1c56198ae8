-- Periods ({grain}: month or week) between $1 and $2 whose rollups were built from exactly today's published batches.
SELECT r.{grain}
FROM marts.rollup_{grain}s r
JOIN (/*signatures*/) s ON s.period = r.{grain} AND s.signature = r.signature
WHERE r.{grain} BETWEEN date_trunc('{grain}', $1::date)::date AND $2::date
ORDER BY r.{grain}
