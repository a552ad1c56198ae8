-- The warehouse's tables as Citus sees them (pg_dist_partition; absent = a plain local table), and the cluster's size.
SELECT c.oid::regclass::text AS table_name,
       CASE WHEN p.partmethod = 'h' THEN 'distributed'
            WHEN p.partmethod = 'n' AND p.repmodel = 't' THEN 'reference'
            WHEN p.logicalrelid IS NOT NULL THEN 'citus local'
            ELSE 'local' END AS kind,
       CASE WHEN p.partmethod = 'h' THEN column_to_column_name(p.logicalrelid, p.partkey) END AS column_name,
       p.colocationid,
       (SELECT count(*) FROM pg_dist_shard s WHERE s.logicalrelid = c.oid)::int AS shards
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_dist_partition p ON p.logicalrelid = c.oid
WHERE n.nspname IN ('marts', 'ops') AND c.relkind IN ('r', 'p') AND NOT c.relispartition;
