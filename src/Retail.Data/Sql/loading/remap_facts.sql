-- Points one batch's facts at the keys that won an upsert race; {column} is product_key or customer_key.
UPDATE marts.fct_sales f SET {column} = m.stored
FROM unnest($1::int[], $2::int[]) AS m(mine, stored)
WHERE f.sale_date BETWEEN $3 AND $4 AND f.batch_id = $5 AND f.{column} = m.mine
