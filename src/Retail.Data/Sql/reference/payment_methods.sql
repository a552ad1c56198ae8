-- The seed's members by natural key; one already there keeps its row (conflicts.sql has checked its key).
INSERT INTO marts.dim_payment_method (payment_key, payment_method)
SELECT * FROM unnest($1::smallint[], $2::text[])
ON CONFLICT (payment_method) DO NOTHING
