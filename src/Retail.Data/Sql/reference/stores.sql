-- The seed's stores by natural key: new ones inserted, changed attributes updated, unchanged rows left untouched.
INSERT INTO marts.dim_store AS d (store_key, store_code, store_name, town, postcode, format, opened_on)
SELECT * FROM unnest($1::smallint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[])
ON CONFLICT (store_code) DO UPDATE
SET store_name = EXCLUDED.store_name, town = EXCLUDED.town, postcode = EXCLUDED.postcode,
    format = EXCLUDED.format, opened_on = EXCLUDED.opened_on
WHERE (d.store_name, d.town, d.postcode, d.format, d.opened_on)
      IS DISTINCT FROM (EXCLUDED.store_name, EXCLUDED.town, EXCLUDED.postcode, EXCLUDED.format, EXCLUDED.opened_on)
