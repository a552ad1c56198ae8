COPY marts.fct_sales (sale_date, transaction_id, line_no, sold_at, store_key, product_key, customer_key, payment_key,
                      channel_key, quantity, unit_price_pence, discount_pence, line_total_pence, return_of_transaction, batch_id)
FROM STDIN (FORMAT BINARY)
