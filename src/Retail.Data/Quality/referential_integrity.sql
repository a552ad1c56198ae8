-- Lines pointing at a dimension member that does not exist. $1 from, $2 to.
SELECT count(*) FROM marts.fct_sales f
WHERE f.sale_date BETWEEN $1 AND $2 AND f.batch_id IN (SELECT batch_id FROM ops.published_batches) AND (
    NOT EXISTS (SELECT 1 FROM marts.dim_store s WHERE s.store_key = f.store_key)
 OR NOT EXISTS (SELECT 1 FROM marts.dim_product p WHERE p.product_key = f.product_key)
 OR NOT EXISTS (SELECT 1 FROM marts.dim_customer c WHERE c.customer_key = f.customer_key)
 OR NOT EXISTS (SELECT 1 FROM marts.dim_date d WHERE d.date_key = f.sale_date))
