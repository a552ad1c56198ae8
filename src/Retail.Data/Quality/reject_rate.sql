-- Rows rejected and rows read by the loaded batches overlapping [$1, $2].
SELECT coalesce(sum(rows_rejected), 0)::bigint, coalesce(sum(rows_read), 0)::bigint FROM ops.loaded_batches
WHERE min_sale_date <= $2 AND max_sale_date >= $1
