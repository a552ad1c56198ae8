-- The seed's members by natural key; one already there keeps its row (conflicts.sql has checked its key).
INSERT INTO marts.dim_category (category_key, category_name)
SELECT * FROM unnest($1::smallint[], $2::text[])
ON CONFLICT (category_name) DO NOTHING
