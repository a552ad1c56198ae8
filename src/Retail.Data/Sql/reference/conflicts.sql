-- Seed members whose key and natural key disagree with a row already in the warehouse: a key reused for another
-- member, or a member under a new key. Facts point at the keys, so these are refused, never rewritten.
-- $1..$2 stores (key, code); $3..$4 categories; $5..$6 payment methods; $7..$8 channels.
SELECT 'store' AS dimension, s.code AS seed, s.key AS seed_key, d.store_code AS warehouse, d.store_key AS warehouse_key
FROM unnest($1::smallint[], $2::text[]) AS s(key, code)
JOIN marts.dim_store d ON (d.store_key = s.key) <> (d.store_code = s.code)
UNION ALL
SELECT 'category', s.name, s.key, d.category_name, d.category_key
FROM unnest($3::smallint[], $4::text[]) AS s(key, name)
JOIN marts.dim_category d ON (d.category_key = s.key) <> (d.category_name = s.name)
UNION ALL
SELECT 'payment method', s.name, s.key, d.payment_method, d.payment_key
FROM unnest($5::smallint[], $6::text[]) AS s(key, name)
JOIN marts.dim_payment_method d ON (d.payment_key = s.key) <> (d.payment_method = s.name)
UNION ALL
SELECT 'channel', s.name, s.key, d.channel, d.channel_key
FROM unnest($7::smallint[], $8::text[]) AS s(key, name)
JOIN marts.dim_channel d ON (d.channel_key = s.key) <> (d.channel = s.name)
ORDER BY 1, 3
