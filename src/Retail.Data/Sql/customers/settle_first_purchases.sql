-- The candidates $1..$5 (batch, customer, sold_at, date, store: one per customer) less those whose kept first purchase
-- is already earlier (or the same). Runs under the shared settle lock only, in parallel with other files: a publish can
-- only move a kept first purchase earlier, so a customer dropped here stays settled, and nothing that moves one later
-- (a forced reload, a re-derivation) can commit while the shared lock is held. The kept row is probed by its key, one
-- index lookup each (~5 µs): written as a subquery so the planner does not hash the whole table instead (measured on a
-- 100M year's December, 82k customers of a file against 1.26M kept: 0.5-0.7 s against 1.1-2.3 s for the hash join,
-- which grows with the table where the probes grow with the file).
SELECT n.batch_id, n.customer_key, n.first_sold_at, n.first_date, n.first_store_key
FROM unnest($1::integer[], $2::integer[], $3::timestamptz[], $4::date[], $5::smallint[])
    AS n(batch_id, customer_key, first_sold_at, first_date, first_store_key)
WHERE (SELECT (o.first_sold_at, o.first_store_key, o.first_batch_id) <= (n.first_sold_at, n.first_store_key, n.batch_id)
       FROM marts.customer_first_purchase o WHERE o.customer_key = n.customer_key) IS NOT TRUE
