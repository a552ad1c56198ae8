-- Lines whose payment method, channel or category is not an accepted value. $1 from, $2 to, $3 payment methods,
-- $4 channels, $5 categories.
SELECT count(*) FROM marts.fct_sales f
LEFT JOIN marts.dim_payment_method pm USING (payment_key)
LEFT JOIN marts.dim_channel ch USING (channel_key)
LEFT JOIN marts.dim_product p USING (product_key)
LEFT JOIN marts.dim_category c ON c.category_key = p.category_key
WHERE f.sale_date BETWEEN $1 AND $2 AND f.batch_id IN (SELECT batch_id FROM ops.published_batches)
AND (pm.payment_method IS NULL OR pm.payment_method <> ALL($3)
  OR ch.channel IS NULL OR ch.channel <> ALL($4)
  OR c.category_name IS NULL OR c.category_name <> ALL($5))
