-- Receipt lines that appear more than once. $1 from, $2 to.
SELECT count(*) FROM (
    SELECT 1 FROM marts.fct_sales f
    WHERE f.sale_date BETWEEN $1 AND $2 AND f.batch_id IN (SELECT batch_id FROM ops.published_batches)
    GROUP BY f.transaction_id, f.line_no HAVING count(*) > 1) d
