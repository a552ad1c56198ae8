-- Fact lines of counted batches with a missing key. $1 from, $2 to.
SELECT count(*) FROM marts.fct_sales f
WHERE f.sale_date BETWEEN $1 AND $2 AND f.batch_id IN (SELECT batch_id FROM ops.published_batches)
AND (f.transaction_id IS NULL OR f.line_no IS NULL OR f.store_key IS NULL OR f.product_key IS NULL OR f.customer_key IS NULL)
