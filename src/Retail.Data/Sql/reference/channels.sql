-- The seed's members by natural key; one already there keeps its row (conflicts.sql has checked its key).
INSERT INTO marts.dim_channel (channel_key, channel)
SELECT * FROM unnest($1::smallint[], $2::text[])
ON CONFLICT (channel) DO NOTHING
