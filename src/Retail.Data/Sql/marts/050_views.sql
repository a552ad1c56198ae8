-- The reference project's flat table, for anyone who wants it: customer, store, category, price, date.
CREATE OR REPLACE VIEW marts.v_sales_flat AS
SELECT f.transaction_id,
       f.line_no,
       f.sold_at,
       f.sale_date,
       c.customer_name          AS customer,
       s.store_name             AS store,
       s.town,
       p.sku,
       p.product_name           AS product,
       cat.category_name        AS category,
       f.quantity,
       f.unit_price_pence / 100.0::numeric(12, 2) AS price,
       f.discount_pence / 100.0::numeric(12, 2)   AS discount,
       f.line_total_pence / 100.0::numeric(14, 2) AS line_total,
       pm.payment_method,
       ch.channel
FROM marts.fct_sales f
JOIN marts.dim_store s ON s.store_key = f.store_key
JOIN marts.dim_product p ON p.product_key = f.product_key
JOIN marts.dim_category cat ON cat.category_key = p.category_key
JOIN marts.dim_customer c ON c.customer_key = f.customer_key
JOIN marts.dim_payment_method pm ON pm.payment_key = f.payment_key
JOIN marts.dim_channel ch ON ch.channel_key = f.channel_key;
