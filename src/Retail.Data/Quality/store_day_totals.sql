-- Lines, units and revenue (pence) per sale date and store over [$1, $2], for reconciling with a manifest.
SELECT f.sale_date, s.store_code, count(*), sum(f.quantity)::bigint, sum(f.line_total_pence)::bigint
FROM marts.fct_sales f JOIN marts.dim_store s USING (store_key)
WHERE f.sale_date BETWEEN $1 AND $2 AND f.batch_id IN (SELECT batch_id FROM ops.published_batches) GROUP BY 1, 2
