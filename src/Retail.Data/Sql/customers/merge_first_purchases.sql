-- The unsettled first purchases $1..$5 (batch, customer, sold_at, date, store: one per customer; what
-- settle_first_purchases.sql left) become the kept ones where they are earlier, and the daily counts move with them
-- (−1 on the old day and store, +1 on the new). The caller holds the exclusive first-purchase lock, so the kept rows
-- read here are the latest. Statements are separated by a line holding only a semicolon.
WITH moved AS (
    SELECT n.*, o.first_date AS old_date, o.first_store_key AS old_store
    FROM unnest($1::integer[], $2::integer[], $3::timestamptz[], $4::date[], $5::smallint[])
        AS n(batch_id, customer_key, first_sold_at, first_date, first_store_key)
    LEFT JOIN marts.customer_first_purchase o ON o.customer_key = n.customer_key
    WHERE o.customer_key IS NULL
       OR (n.first_sold_at, n.first_store_key, n.batch_id) < (o.first_sold_at, o.first_store_key, o.first_batch_id)),
kept AS (
    INSERT INTO marts.customer_first_purchase AS c (customer_key, first_sold_at, first_date, first_store_key, first_batch_id)
    SELECT customer_key, first_sold_at, first_date, first_store_key, batch_id FROM moved
    ON CONFLICT (customer_key) DO UPDATE
        SET first_sold_at = excluded.first_sold_at, first_date = excluded.first_date,
            first_store_key = excluded.first_store_key, first_batch_id = excluded.first_batch_id),
deltas AS (
    SELECT first_date, first_store_key AS store_key, 1 AS n FROM moved
    UNION ALL
    SELECT old_date, old_store, -1 FROM moved WHERE old_date IS NOT NULL)
INSERT INTO marts.agg_new_customers_daily AS a (first_date, store_key, new_customers)
SELECT first_date, store_key, sum(n) FROM deltas GROUP BY 1, 2
ON CONFLICT (first_date, store_key) DO UPDATE SET new_customers = a.new_customers + excluded.new_customers
;
DELETE FROM marts.agg_new_customers_daily WHERE new_customers = 0
