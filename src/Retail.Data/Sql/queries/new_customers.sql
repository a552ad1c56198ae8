-- Loyalty customers whose first published purchase anywhere in the chain falls in [$1, $2] (with stores $3: was made at
-- one of them). Exact, from the daily counts kept with the first purchases (marts/124); categories do not apply.
SELECT coalesce(sum(new_customers), 0)::bigint
FROM marts.agg_new_customers_daily
WHERE first_date BETWEEN $1 AND $2 AND ($3::smallint[] IS NULL OR store_key = ANY ($3))
