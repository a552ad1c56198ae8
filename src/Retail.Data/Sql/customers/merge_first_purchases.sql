-- The batch's first purchases in pg_temp.publishing_first_purchases (one row per customer) become the kept ones where they
-- are earlier. Statements are separated by a line holding only a semicolon. The first runs under the shared settle
-- lock only, in parallel with other files: it drops the customers whose kept first purchase is already earlier (or
-- the same), which later publishes can only make earlier still, and nothing that moves a first purchase later (a
-- forced reload, a re-derivation) can commit while the shared lock is held. What is left — the day's new customers and
-- the ones an earlier batch loaded late moves back — is merged under the exclusive first-purchase lock (taken between
-- the two by the caller), against the latest kept rows.
-- The customer's kept row is probed by its key, one index lookup each (~5 µs): written as a subquery so the planner
-- does not hash the whole table instead (measured on a 100M year's December, 82k customers in a file against 1.26M kept:
-- 0.5-0.7 s against 1.1-2.3 s for the hash join, which grows with the table where the probes grow with the file).
DELETE FROM publishing_first_purchases n
WHERE (SELECT (o.first_sold_at, o.first_store_key, o.first_batch_id) <= (n.first_sold_at, n.first_store_key, n.batch_id)
       FROM marts.customer_first_purchase o WHERE o.customer_key = n.customer_key)
;
WITH moved AS (
    SELECT n.*, o.first_date AS old_date, o.first_store_key AS old_store
    FROM publishing_first_purchases n LEFT JOIN marts.customer_first_purchase o ON o.customer_key = n.customer_key
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
